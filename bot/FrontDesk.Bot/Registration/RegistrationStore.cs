using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace FrontDesk.Bot.Registration;

/// <summary>
/// The registration schema: consents, encrypted drafts, encrypted registrations, the staff's involvement log and the
/// anonymous count of removals. Every personal field goes through <see cref="FieldCipher"/> before it reaches SQL.
/// </summary>
public sealed class RegistrationStore(NpgsqlDataSource db, FieldCipher cipher, TimeProvider time)
{
    const string DraftPurpose = "registration.draft";
    const string RecordPurpose = "registration.record";
    const string NotePurpose = "registration.note";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] OwnerIndex(string conversationKey) => cipher.Index("owner", conversationKey);

    public byte[] EmailIndex(string email) => cipher.Index("email", email.Trim().ToLowerInvariant());

    public async Task<long> RecordConsentAsync(byte[] owner, string channel, string noticeVersion, string noticeSha256, bool accepted, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            insert into registration.consents (owner_index, channel, notice_version, notice_sha256, accepted, at)
            values ($1, $2, $3, $4, $5, $6) returning id
            """);
        cmd.Parameters.Add(new() { Value = owner });
        cmd.Parameters.Add(new() { Value = channel });
        cmd.Parameters.Add(new() { Value = noticeVersion });
        cmd.Parameters.Add(new() { Value = noticeSha256 });
        cmd.Parameters.Add(new() { Value = accepted });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The unexpired draft of this conversation, if any.</summary>
    public async Task<Draft?> DraftAsync(byte[] owner, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select key_id, payload, consent_id, submitted_number from registration.drafts where owner_index = $1 and expires_at > $2
            """);
        cmd.Parameters.Add(new() { Value = owner });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        var consent = reader.IsDBNull(2) ? (long?)null : reader.GetInt64(2);
        var number = reader.IsDBNull(3) ? null : reader.GetString(3);
        if (reader.IsDBNull(1))
            return new Draft(new RegistrationForm(), consent, number, null);
        var content = JsonSerializer.Deserialize<DraftContent>(cipher.Open(DraftPurpose, new Sealed(reader.GetString(0), (byte[])reader[1])), Json)!;
        return new Draft(content.Form, consent, number, content.EditingId);
    }

    sealed record DraftContent(RegistrationForm Form, long? EditingId);

    public async Task SaveDraftAsync(byte[] owner, long? consentId, RegistrationForm form, long? editingId, TimeSpan lifetime, CancellationToken ct)
    {
        var sealedDraft = cipher.Seal(DraftPurpose, JsonSerializer.Serialize(new DraftContent(form, editingId), Json));
        var now = time.GetUtcNow();
        await using var cmd = db.CreateCommand("""
            insert into registration.drafts (owner_index, consent_id, key_id, payload, submitted_number, updated_at, expires_at)
            values ($1, $2, $3, $4, null, $5, $6)
            on conflict (owner_index) do update set consent_id = coalesce(excluded.consent_id, drafts.consent_id), key_id = excluded.key_id,
                payload = excluded.payload, submitted_number = null, updated_at = excluded.updated_at, expires_at = excluded.expires_at
            """);
        cmd.Parameters.Add(new() { Value = owner });
        cmd.Parameters.Add(new() { Value = (object?)consentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new() { Value = sealedDraft.KeyId });
        cmd.Parameters.Add(new() { Value = sealedDraft.Data });
        cmd.Parameters.Add(new() { Value = now });
        cmd.Parameters.Add(new() { Value = now + lifetime });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task DeleteDraftAsync(byte[] owner, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("delete from registration.drafts where owner_index = $1");
        cmd.Parameters.Add(new() { Value = owner });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Turns the draft into a registration (or updates the one being changed) and, in the same transaction, empties
    /// the draft and keeps the number in it; returns the number.
    /// </summary>
    public async Task<string> SubmitAsync(byte[] owner, string channel, Draft draft, bool keepOwner, TimeSpan lifetime, CancellationToken ct)
    {
        var form = draft.Form;
        var now = time.GetUtcNow();
        var record = cipher.Seal(RecordPurpose, JsonSerializer.Serialize(form, Json));
        var email = string.IsNullOrEmpty(form.Email) ? null : EmailIndex(form.Email);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        string number;
        if (draft.EditingId is { } id)
        {
            await using var update = new NpgsqlCommand("""
                update registration.registrations set email_index = $2, plan = $3, key_id = $4, payload = $5, updated_at = $6
                where id = $1 and owner_index = $7 returning number
                """, conn, tx);
            update.Parameters.Add(new() { Value = id });
            update.Parameters.Add(new() { Value = (object?)email ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
            update.Parameters.Add(new() { Value = form.Plan! });
            update.Parameters.Add(new() { Value = record.KeyId });
            update.Parameters.Add(new() { Value = record.Data });
            update.Parameters.Add(new() { Value = now });
            update.Parameters.Add(new() { Value = owner });
            number = (string?)await update.ExecuteScalarAsync(ct) ?? throw new InvalidOperationException("The registration being changed no longer exists.");
        }
        else
        {
            await using var insert = new NpgsqlCommand("""
                insert into registration.registrations (number, channel, owner_index, email_index, plan, consent_id, key_id, payload, created_at, updated_at)
                values ('FR-' || to_char($8 at time zone 'Asia/Tokyo', 'YYYY') || '-' || lpad(nextval('registration.number_seq')::text, 6, '0'),
                        $1, $2, $3, $4, $5, $6, $7, $8, $8)
                returning number
                """, conn, tx);
            insert.Parameters.Add(new() { Value = channel });
            insert.Parameters.Add(new() { Value = keepOwner ? owner : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
            insert.Parameters.Add(new() { Value = (object?)email ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
            insert.Parameters.Add(new() { Value = form.Plan! });
            insert.Parameters.Add(new() { Value = (object?)draft.ConsentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            insert.Parameters.Add(new() { Value = record.KeyId });
            insert.Parameters.Add(new() { Value = record.Data });
            insert.Parameters.Add(new() { Value = now });
            number = (string)(await insert.ExecuteScalarAsync(ct))!;
        }
        await using (var done = new NpgsqlCommand("""
            update registration.drafts set key_id = null, payload = null, submitted_number = $2, updated_at = $3, expires_at = $4 where owner_index = $1
            """, conn, tx))
        {
            done.Parameters.Add(new() { Value = owner });
            done.Parameters.Add(new() { Value = number });
            done.Parameters.Add(new() { Value = now });
            done.Parameters.Add(new() { Value = now + lifetime });
            await done.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return number;
    }

    /// <summary>The registration a LINE user made (not merged away), if any.</summary>
    public async Task<RegistrationRecord?> ByOwnerAsync(byte[] owner, CancellationToken ct)
    {
        var list = await QueryAsync("where owner_index = $1 and merged_into is null order by id limit 1", ct, owner);
        return list.Count == 0 ? null : list[0];
    }

    public async Task<RegistrationRecord?> ByIdAsync(long id, CancellationToken ct)
    {
        var list = await QueryAsync("where id = $1", ct, id);
        return list.Count == 0 ? null : list[0];
    }

    /// <summary>Every registration not merged into another, newest first, decrypted (an office's list is thousands at most).</summary>
    public Task<List<RegistrationRecord>> AllAsync(CancellationToken ct) => QueryAsync("where merged_into is null order by id desc", ct);

    async Task<List<RegistrationRecord>> QueryAsync(string where, CancellationToken ct, params object[] args)
    {
        await using var cmd = db.CreateCommand($"""
            select id, number, channel, plan, key_id, payload, created_at, updated_at, owner_index is not null, merged_into
            from registration.registrations {where}
            """);
        foreach (var arg in args)
            cmd.Parameters.Add(new() { Value = arg });
        var list = new List<RegistrationRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            // A merged duplicate keeps its number and no personal data.
            var form = reader.GetString(4) == "-" ? new RegistrationForm()
                : JsonSerializer.Deserialize<RegistrationForm>(cipher.Open(RecordPurpose, new Sealed(reader.GetString(4), (byte[])reader[5])), Json)!;
            list.Add(new RegistrationRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), form,
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetBoolean(8),
                reader.IsDBNull(9) ? null : reader.GetInt64(9)));
        }
        return list;
    }

    /// <summary>Removes the registration with its involvement log and the owner's draft; only an anonymous count remains.</summary>
    public async Task<bool> DeleteAsync(long id, bool byStaff, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var delete = new NpgsqlCommand("""
            with gone as (delete from registration.registrations where id = $1 returning channel, plan, owner_index),
            draft as (delete from registration.drafts where owner_index in (select owner_index from gone)),
            consent as (update registration.consents set owner_index = null where owner_index in (select owner_index from gone))
            insert into registration.removals (removed_at, channel, plan, by_staff) select $2, channel, plan, $3 from gone
            """, conn, tx);
        delete.Parameters.Add(new() { Value = id });
        delete.Parameters.Add(new() { Value = time.GetUtcNow() });
        delete.Parameters.Add(new() { Value = byStaff });
        var removed = await delete.ExecuteNonQueryAsync(ct) > 0;
        await tx.CommitAsync(ct);
        return removed;
    }

    public async Task<long> RemovalCountAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select count(*) from registration.removals");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task AddInvolvementAsync(long registrationId, string kind, DateOnly on, string? note, string staff, CancellationToken ct)
    {
        var sealedNote = string.IsNullOrWhiteSpace(note) ? null : cipher.Seal(NotePurpose, note.Trim());
        await using var cmd = db.CreateCommand("""
            insert into registration.involvements (registration_id, kind, occurred_on, key_id, note, added_by, added_at)
            values ($1, $2, $3, $4, $5, $6, $7)
            """);
        cmd.Parameters.Add(new() { Value = registrationId });
        cmd.Parameters.Add(new() { Value = kind });
        cmd.Parameters.Add(new() { Value = on });
        cmd.Parameters.Add(new() { Value = (object?)sealedNote?.KeyId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = (object?)sealedNote?.Data ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        cmd.Parameters.Add(new() { Value = staff });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<List<Involvement>> InvolvementsAsync(long registrationId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select id, kind, occurred_on, key_id, note, added_by, added_at from registration.involvements
            where registration_id = $1 order by occurred_on desc, id desc
            """);
        cmd.Parameters.Add(new() { Value = registrationId });
        var list = new List<Involvement>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var note = reader.IsDBNull(4) ? null : cipher.Open(NotePurpose, new Sealed(reader.GetString(3), (byte[])reader[4]));
            list.Add(new Involvement(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), note, reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return list;
    }

    /// <summary>Groups of registrations that look like the same person: same LINE user or same e-mail (by blind index).</summary>
    public async Task<List<long[]>> DuplicateGroupsAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select array_agg(id order by id) from registration.registrations where merged_into is null and owner_index is not null group by owner_index having count(*) > 1
            union all
            select array_agg(id order by id) from registration.registrations where merged_into is null and email_index is not null group by email_index having count(*) > 1
            """);
        var groups = new List<long[]>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            groups.Add(reader.GetFieldValue<long[]>(0));
        return groups.DistinctBy(g => string.Join(',', g)).ToList();
    }

    /// <summary>Keeps <paramref name="keepId"/>, moves the other's involvement log to it and marks the other as merged (its personal data is removed).</summary>
    public async Task<bool> MergeAsync(long keepId, long otherId, CancellationToken ct)
    {
        if (keepId == otherId)
            return false;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var merge = new NpgsqlCommand("""
            with other as (
                update registration.registrations set merged_into = $1, owner_index = null, email_index = null, payload = ''::bytea, key_id = '-', updated_at = $3
                where id = $2 and merged_into is null and exists (select from registration.registrations where id = $1 and merged_into is null)
                returning id),
            moved as (update registration.involvements set registration_id = $1 where registration_id in (select id from other))
            select count(*) from other
            """, conn, tx);
        merge.Parameters.Add(new() { Value = keepId });
        merge.Parameters.Add(new() { Value = otherId });
        merge.Parameters.Add(new() { Value = time.GetUtcNow() });
        var merged = (long)(await merge.ExecuteScalarAsync(ct))! == 1;
        await tx.CommitAsync(ct);
        return merged;
    }

    /// <summary>Re-encrypts up to <paramref name="batch"/> rows still under an older key with the active key; returns how many moved.</summary>
    public async Task<int> ReEncryptAsync(int batch, CancellationToken ct)
    {
        var active = cipher.ActiveKeyId;
        var moved = 0;
        foreach (var (table, purpose, column) in new[]
                 {
                     ("registrations", RecordPurpose, "payload"), ("drafts", DraftPurpose, "payload"), ("involvements", NotePurpose, "note"),
                 })
        {
            var id = table == "drafts" ? "owner_index" : "id";
            var rows = new List<(object Id, Sealed Value)>();
            await using (var select = db.CreateCommand($"""
                select {id}, key_id, {column} from registration.{table}
                where key_id is not null and key_id <> '-' and key_id <> $1 and {column} is not null limit {batch.ToString(CultureInfo.InvariantCulture)}
                """))
            {
                select.Parameters.Add(new() { Value = active });
                await using var reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    rows.Add((reader.GetValue(0), new Sealed(reader.GetString(1), (byte[])reader[2])));
            }
            foreach (var (rowId, value) in rows)
            {
                var again = cipher.Seal(purpose, cipher.Open(purpose, value));
                // Guarded by the old key id: a row changed meanwhile is left for the next run.
                await using var update = db.CreateCommand($"update registration.{table} set key_id = $1, {column} = $2 where {id} = $3 and key_id = $4");
                update.Parameters.Add(new() { Value = again.KeyId });
                update.Parameters.Add(new() { Value = again.Data });
                update.Parameters.Add(new() { Value = rowId });
                update.Parameters.Add(new() { Value = value.KeyId });
                moved += await update.ExecuteNonQueryAsync(ct);
            }
        }
        return moved;
    }

    /// <summary>Removes drafts past their expiry.</summary>
    public async Task<int> PurgeExpiredDraftsAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("delete from registration.drafts where expires_at <= $1");
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
