using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using FrontDesk.Bot.Registration;
using NpgsqlTypes;

namespace FrontDesk.Bot.Kiosk;

public sealed record KioskConversation(string Id, string Device, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, int LastSeq);

/// <summary>
/// Kiosk conversations and their activity logs in the kiosk schema; the watermark is the sequence number. With the
/// personal-data keys configured every activity is stored sealed, as a visitor may type a registration into it.
/// </summary>
public sealed class KioskConversations(NpgsqlDataSource db, FieldCipher cipher, TimeProvider time)
{
    const string Purpose = "kiosk.activity";

    public const int PageSize = 100;
    readonly ConcurrentDictionary<string, TaskCompletionSource> waiters = new(StringComparer.Ordinal);

    public async Task<string> CreateAsync(string device, CancellationToken ct)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "insert into kiosk.conversations (id, device, created_at) values (@id, @device, @now)",
            new { id, device, now = time.GetUtcNow() }, cancellationToken: ct));
        return id;
    }

    public async Task<KioskConversation?> FindAsync(string id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        // Npgsql reads timestamptz as a UTC DateTime.
        var rows = await conn.QueryAsync<(string Id, string Device, DateTime? StartedAt, DateTime? EndedAt, int LastSeq)>(new CommandDefinition(
            "select id, device, started_at, ended_at, last_seq from kiosk.conversations where id = @id", new { id }, cancellationToken: ct));
        return rows.Select(c => new KioskConversation(c.Id, c.Device, c.StartedAt is { } s ? new DateTimeOffset(s) : null,
            c.EndedAt is { } e ? new DateTimeOffset(e) : null, c.LastSeq)).SingleOrDefault();
    }

    /// <summary>True only for the first caller: the one that should greet.</summary>
    public async Task<bool> MarkStartedAsync(string id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "update kiosk.conversations set started_at = @now where id = @id and started_at is null and ended_at is null",
            new { id, now = time.GetUtcNow() }, cancellationToken: ct)) == 1;
    }

    /// <summary>Ends the conversation, which revokes its tokens, and drops its activity log from the kiosk's reach.</summary>
    public async Task<bool> EndAsync(string id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new("update kiosk.conversations set ended_at = $2 where id = $1 and ended_at is null") { Parameters = { new() { Value = id }, new() { Value = time.GetUtcNow() } } },
                new("delete from kiosk.activities where conversation_id = $1") { Parameters = { new() { Value = id } } },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        var ended = batch.BatchCommands[0].RecordsAffected == 1;
        Signal(id);
        return ended;
    }

    /// <summary>
    /// Appends activities to an open conversation's log, giving each the next sequence number and the id
    /// "{conversation}|{seq}". Returns the ids, or an empty list when the conversation has ended.
    /// </summary>
    public async Task<IReadOnlyList<string>> AppendAsync(string id, IReadOnlyList<JsonObject> activities, CancellationToken ct)
    {
        if (activities.Count == 0)
            return [];
        await using var conn = await db.OpenConnectionAsync(ct);
        // The row lock taken by the update is held to the commit, so a reader never sees a later append's rows
        // before an earlier one's: the watermark cannot skip an activity.
        await using var tx = await conn.BeginTransactionAsync(ct);
        int first;
        await using (var reserve = new NpgsqlCommand("""
            update kiosk.conversations set last_seq = last_seq + $2 where id = $1 and ended_at is null returning last_seq - $2 + 1
            """, conn, tx))
        {
            reserve.Parameters.Add(new() { Value = id });
            reserve.Parameters.Add(new() { Value = activities.Count });
            if (await reserve.ExecuteScalarAsync(ct) is not int next)
                return [];
            first = next;
        }
        var seqs = Enumerable.Range(first, activities.Count).ToArray();
        var json = activities.Select((a, i) =>
        {
            var copy = (JsonObject)a.DeepClone();
            copy["id"] = ActivityId(id, seqs[i]);
            return copy.ToJsonString();
        }).ToArray();
        var sealedValues = cipher.Enabled ? json.Select(j => cipher.Seal(Purpose, j)).ToArray() : null;
        await using (var insert = new NpgsqlCommand("""
            insert into kiosk.activities (conversation_id, seq, activity, key_id, sealed, created_at)
            select $1, t.seq, t.activity, t.key_id, t.sealed, $6
            from unnest($2::int[], $3::jsonb[], $4::text[], $5::bytea[]) as t(seq, activity, key_id, sealed)
            """, conn, tx))
        {
            insert.Parameters.Add(new() { Value = id });
            insert.Parameters.Add(new() { Value = seqs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            insert.Parameters.Add(new() { Value = sealedValues is null ? json : new string?[json.Length], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = sealedValues?.Select(v => v.KeyId).ToArray() ?? new string?[json.Length], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = sealedValues?.Select(v => v.Data).ToArray() ?? new byte[]?[json.Length], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            insert.Parameters.Add(new() { Value = time.GetUtcNow() });
            await insert.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        var ids = seqs.Select(seq => ActivityId(id, seq)).ToList();
        Signal(id);
        return ids;
    }

    public static string ActivityId(string conversationId, int seq) => $"{conversationId}|{seq:D7}";

    /// <summary>The activity's JSON from the plain column at <paramref name="column"/> or, sealed, from the two after it.</summary>
    string Read(NpgsqlDataReader reader, int column) => reader.IsDBNull(column)
        ? cipher.Open(Purpose, new Sealed(reader.GetString(column + 1), reader.GetFieldValue<byte[]>(column + 2)))
        : reader.GetString(column);

    public enum LogState { Open, Ended, Missing }

    /// <summary>The poll's one round trip: whether the conversation is open and, if so, its activities after the watermark.</summary>
    public async Task<(LogState State, List<string> Activities, int Watermark)> PollAsync(string id, int watermark, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select c.ended_at is not null, a.seq, a.activity::text, a.key_id, a.sealed
            from kiosk.conversations c
            left join lateral (
                select seq, activity, key_id, sealed from kiosk.activities
                where conversation_id = c.id and seq > $2 order by seq limit $3) a on c.ended_at is null
            where c.id = $1
            order by a.seq
            """);
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = watermark });
        cmd.Parameters.Add(new() { Value = PageSize });
        var list = new List<string>();
        var last = watermark;
        var state = LogState.Missing;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            state = reader.GetBoolean(0) ? LogState.Ended : LogState.Open;
            if (reader.IsDBNull(1))
                continue;
            last = reader.GetInt32(1);
            list.Add(Read(reader, 2));
        }
        return (state, list, last);
    }

    /// <summary>Activities after the watermark, oldest first, as raw JSON, and the new watermark.</summary>
    public async Task<(List<string> Activities, int Watermark)> ReadAsync(string id, int watermark, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select seq, activity::text, key_id, sealed from kiosk.activities
            where conversation_id = $1 and seq > $2 order by seq limit $3
            """);
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = watermark });
        cmd.Parameters.Add(new() { Value = PageSize });
        var list = new List<string>();
        var last = watermark;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            last = reader.GetInt32(0);
            list.Add(Read(reader, 1));
        }
        return (list, last);
    }

    /// <summary>
    /// A task that completes at the next append or end on this host. Take it before reading, so an append between
    /// the read and the wait is not missed; other hosts' appends are seen when the wait times out.
    /// </summary>
    public Task NextChange(string id) =>
        waiters.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>True when the change came, false when the timeout passed first.</summary>
    public async Task<bool> WaitAsync(Task change, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await change.WaitAsync(timeout, time, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    void Signal(string id)
    {
        if (waiters.TryRemove(id, out var waiter))
            waiter.TrySetResult();
    }
}
