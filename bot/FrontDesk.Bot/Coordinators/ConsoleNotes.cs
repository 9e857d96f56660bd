using Dapper;
using FrontDesk.Bot.Registration;
using FrontDesk.Bot.Staff;
using Npgsql;

namespace FrontDesk.Bot.Coordinators;

public sealed record StaffNote(DateTimeOffset At, string Login, string Text);

public sealed record CannedResponse(long Id, string Title, string Body);

/// <summary>
/// Internal notes on a conversation (staff only, never sent to the user; sealed with the personal-data keys when they
/// are configured) and the canned replies admins maintain.
/// </summary>
public sealed class ConsoleNotes(NpgsqlDataSource db, FieldCipher cipher, StaffAccounts accounts, TimeProvider time)
{
    const string NotePurpose = "handoff.note";

    public const int MaxNoteLength = 2000;
    public const int MaxTitleLength = 100;

    public async Task<ActionResult> AddAsync(string key, string login, string? text, CancellationToken ct)
    {
        var note = text?.Trim() ?? "";
        if (note.Length == 0)
            return new(false, "メモが空です。");
        if (note.Length > MaxNoteLength)
            return new(false, $"メモが長すぎます（{note.Length:N0}文字）。{MaxNoteLength:N0}文字以内にしてください。");
        var sealedNote = cipher.Enabled ? cipher.Seal(NotePurpose, note) : null;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            var added = await conn.ExecuteAsync(new CommandDefinition("""
                insert into handoff.notes (conversation_key, login, text, key_id, sealed, created_at)
                select @key, @login, @text, @keyId, @sealed, @now where exists (select from conversation.conversations where key = @key)
                """, new { key, login, text = sealedNote is null ? note : null, keyId = sealedNote?.KeyId, @sealed = sealedNote?.Data, now = time.GetUtcNow() },
                cancellationToken: ct));
            if (added == 0)
                return new(false, "会話が見つかりません。");
        }
        await accounts.AuditAsync(login, "note", key, null, ct);
        return new(true, "メモを残しました。");
    }

    public async Task<List<StaffNote>> NotesAsync(string key, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(DateTime At, string Login, string? Text, string? KeyId, byte[]? Sealed)>(new CommandDefinition(
            "select created_at, login, text, key_id, sealed from handoff.notes where conversation_key = @key order by id", new { key }, cancellationToken: ct));
        // Npgsql reads timestamptz as a UTC DateTime.
        return rows.Select(r => new StaffNote(new DateTimeOffset(r.At), r.Login, r.Text ?? OpenNote(r.KeyId!, r.Sealed!))).ToList();
    }

    string OpenNote(string keyId, byte[] data)
    {
        try
        {
            return cipher.Open(NotePurpose, new Sealed(keyId, data));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return $"（鍵 {keyId} が設定にないため表示できません）";
        }
    }

    public async Task<List<CannedResponse>> CannedAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<CannedResponse>(new CommandDefinition(
            "select id, title, body from handoff.canned_responses order by title, id", cancellationToken: ct))).ToList();
    }

    /// <summary>Adds (id null) or edits a canned reply. Only admins get here (the endpoint's policy).</summary>
    public async Task<ActionResult> SaveCannedAsync(long? id, string? title, string? body, string login, CancellationToken ct)
    {
        var t = title?.Trim() ?? "";
        var b = body?.Trim() ?? "";
        if (t.Length == 0 || b.Length == 0)
            return new(false, "題名と本文の両方を入力してください。");
        if (t.Length > MaxTitleLength)
            return new(false, $"題名は{MaxTitleLength}文字以内にしてください。");
        if (b.Length > ConsoleActions.MaxReplyLength)
            return new(false, $"本文が長すぎます（{b.Length:N0}文字）。{ConsoleActions.MaxReplyLength:N0}文字以内にしてください。");
        long? saved;
        await using (var conn = await db.OpenConnectionAsync(ct))
            saved = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(id is null
                ? "insert into handoff.canned_responses (title, body, updated_by, updated_at) values (@title, @body, @login, @now) returning id"
                : "update handoff.canned_responses set title = @title, body = @body, updated_by = @login, updated_at = @now where id = @id returning id",
                new { id = id ?? 0, title = t, body = b, login, now = time.GetUtcNow() }, cancellationToken: ct));
        if (saved is null)
            return new(false, "定型文が見つかりません。");
        await accounts.AuditAsync(login, id is null ? "canned-add" : "canned-edit", saved.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), null, ct);
        return new(true, "定型文を保存しました。");
    }

    public async Task<ActionResult> DeleteCannedAsync(long id, string login, CancellationToken ct)
    {
        await using (var conn = await db.OpenConnectionAsync(ct))
            if (await conn.ExecuteAsync(new CommandDefinition("delete from handoff.canned_responses where id = @id", new { id }, cancellationToken: ct)) == 0)
                return new(false, "定型文が見つかりません。");
        await accounts.AuditAsync(login, "canned-delete", id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, ct);
        return new(true, "定型文を削除しました。");
    }
}
