using Dapper;
using FrontDesk.Knowledge.Ingestion;
using Npgsql;
using NpgsqlTypes;

namespace FrontDesk.Knowledge.Documents;

public enum UpsertOutcome { Added, Changed, Unchanged }

/// <summary>What a source fetch knows besides the bytes: HTTP validators for the next conditional request.</summary>
public sealed record FetchValidators(string? ETag, string? LastModified);

/// <summary>Documents and passages in the <c>kb</c> schema. Every change to passages bumps <c>kb.content_version</c> in the same transaction.</summary>
public sealed class DocumentStore(NpgsqlDataSource db, TimeProvider time)
{
    public async Task EnsureSourceAsync(string id, string kind, string location, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into kb.sources (id, kind, location) values (@id, @kind, @location)
            on conflict (id) do update set kind = excluded.kind, location = excluded.location
            """, new { id, kind, location }, cancellationToken: ct));
    }

    public async Task RecordSourceRunAsync(string id, string status, string? error, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "update kb.sources set last_run_at = @now, last_status = @status, last_error = @error where id = @id",
            new { id, now = time.GetUtcNow(), status, error }, cancellationToken: ct));
    }

    /// <summary>The validators stored with a document, for a conditional GET; null when the document is unknown or removed.</summary>
    public async Task<FetchValidators?> GetValidatorsAsync(string sourceId, string key, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<FetchValidators>(new CommandDefinition(
            "select etag, last_modified as lastmodified from kb.documents where source_id = @s and key = @k and removed_at is null",
            new { s = sourceId, k = key }, cancellationToken: ct));
    }

    /// <summary>Stores the document unless its content hash is unchanged; replaces its passages when it changed.</summary>
    public async Task<UpsertOutcome> UpsertAsync(string sourceId, string key, ParsedDocument document, IReadOnlyList<Passage> passages,
        FetchValidators? validators, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        var existing = (await conn.QueryAsync<(long Id, string ContentHash, bool Removed)>(new CommandDefinition(
            "select id, content_hash, removed_at is not null from kb.documents where source_id = @s and key = @k for update",
            new { s = sourceId, k = key }, tx, cancellationToken: ct))).ToList();
        long? existingId = existing.Count == 1 ? existing[0].Id : null;
        if (existing is [{ Removed: false } same] && same.ContentHash == document.ContentHash)
        {
            await conn.ExecuteAsync(new CommandDefinition(
                "update kb.documents set fetched_at = @now, etag = coalesce(@etag, etag), last_modified = coalesce(@lm, last_modified) where id = @id",
                new { id = same.Id, now, etag = validators?.ETag, lm = validators?.LastModified }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return UpsertOutcome.Unchanged;
        }

        long documentId;
        await using (var upsert = new NpgsqlCommand("""
            insert into kb.documents (source_id, key, title, publisher, url, as_of, fiscal_year, aliases, content_hash, version, etag, last_modified, fetched_at, updated_at)
            values (@s, @k, @title, @publisher, @url, @asof, @fy, @aliases, @hash, 1, @etag, @lm, @now, @now)
            on conflict (source_id, key) do update set
                title = excluded.title, publisher = excluded.publisher, url = excluded.url, as_of = excluded.as_of,
                fiscal_year = excluded.fiscal_year, aliases = excluded.aliases, content_hash = excluded.content_hash, version = kb.documents.version + 1,
                etag = excluded.etag, last_modified = excluded.last_modified, fetched_at = excluded.fetched_at,
                updated_at = excluded.updated_at, removed_at = null
            returning id
            """, conn, tx))
        {
            var m = document.Metadata;
            upsert.Parameters.AddWithValue("s", sourceId);
            upsert.Parameters.AddWithValue("k", key);
            upsert.Parameters.AddWithValue("title", document.Title);
            upsert.Parameters.AddWithValue("publisher", (object?)m.Publisher ?? DBNull.Value);
            upsert.Parameters.AddWithValue("url", (object?)m.Source ?? DBNull.Value);
            upsert.Parameters.AddWithValue("asof", m.AsOf is { } asOf ? asOf : DBNull.Value);
            upsert.Parameters.AddWithValue("fy", m.FiscalYear is { } fy ? fy : DBNull.Value);
            upsert.Parameters.AddWithValue("aliases", NpgsqlDbType.Array | NpgsqlDbType.Text, (object?)m.Aliases?.ToArray() ?? DBNull.Value);
            upsert.Parameters.AddWithValue("hash", document.ContentHash);
            upsert.Parameters.AddWithValue("etag", (object?)validators?.ETag ?? DBNull.Value);
            upsert.Parameters.AddWithValue("lm", (object?)validators?.LastModified ?? DBNull.Value);
            upsert.Parameters.AddWithValue("now", now);
            documentId = (long)(await upsert.ExecuteScalarAsync(ct))!;
        }

        await using (var replace = new NpgsqlBatch(conn, tx))
        {
            replace.BatchCommands.Add(new NpgsqlBatchCommand("delete from kb.passages where document_id = $1") { Parameters = { new() { Value = documentId } } });
            replace.BatchCommands.Add(new NpgsqlBatchCommand("""
                insert into kb.passages (document_id, ordinal, heading_path, text, start_offset, end_offset)
                select $1, p.ordinal, array(select jsonb_array_elements_text(p.heading)), p.text, p.start_offset, p.end_offset
                from unnest($2::int[], $3::jsonb[], $4::text[], $5::int[], $6::int[]) as p(ordinal, heading, text, start_offset, end_offset)
                """)
            {
                Parameters =
                {
                    new() { Value = documentId },
                    new() { Value = Enumerable.Range(0, passages.Count).ToArray() },
                    new() { Value = passages.Select(p => System.Text.Json.JsonSerializer.Serialize(p.HeadingPath)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb },
                    new() { Value = passages.Select(p => p.Text).ToArray() },
                    new() { Value = passages.Select(p => p.Start).ToArray() },
                    new() { Value = passages.Select(p => p.End).ToArray() },
                },
            });
            replace.BatchCommands.Add(BumpVersion(now));
            await replace.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return existingId is null ? UpsertOutcome.Added : UpsertOutcome.Changed;
    }

    /// <summary>Marks documents of the source that were not seen in a complete listing as removed, and drops their passages.</summary>
    public async Task<int> RemoveMissingAsync(string sourceId, IReadOnlyCollection<string> seenKeys, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var removed = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
            with gone as (
                update kb.documents set removed_at = @now
                where source_id = @s and removed_at is null and not (key = any(@seen))
                returning id),
            dropped as (delete from kb.passages where document_id in (select id from gone))
            select count(*) from gone
            """, new { s = sourceId, seen = seenKeys.ToArray(), now = time.GetUtcNow() }, tx, cancellationToken: ct));
        if (removed > 0)
        {
            await using var bump = new NpgsqlBatch(conn, tx) { BatchCommands = { BumpVersion(time.GetUtcNow()) } };
            await bump.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return removed;
    }

    public async Task<long> GetContentVersionAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("select version from kb.content_version", cancellationToken: ct));
    }

    /// <summary>Every passage of every live document, with the version they belong to, read in one snapshot.</summary>
    public async Task<(long Version, List<Passage> Passages)> LoadPassagesAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        long version;
        await using (var v = new NpgsqlCommand("select version from kb.content_version", conn, tx))
            version = (long)(await v.ExecuteScalarAsync(ct))!;
        var passages = new List<Passage>();
        await using (var cmd = new NpgsqlCommand("""
            select p.id, d.key, d.title, p.heading_path, p.text, p.start_offset, p.end_offset, d.url, d.publisher, d.as_of, d.fiscal_year, d.aliases
            from kb.passages p join kb.documents d on d.id = p.document_id
            where d.removed_at is null
            order by d.key, p.ordinal
            """, conn, tx))
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var metadata = new DocumentMetadata(
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetFieldValue<DateOnly>(9),
                    reader.IsDBNull(10) ? null : reader.GetInt32(10),
                    reader.IsDBNull(11) ? null : reader.GetFieldValue<string[]>(11));
                passages.Add(new Passage("p" + reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    reader.GetFieldValue<string[]>(3), reader.GetString(4), reader.GetInt32(5), reader.GetInt32(6), metadata));
            }
        }
        await tx.CommitAsync(ct);
        return (version, passages);
    }

    static NpgsqlBatchCommand BumpVersion(DateTimeOffset now) =>
        new("update kb.content_version set version = version + 1, changed_at = $1") { Parameters = { new() { Value = now } } };
}
