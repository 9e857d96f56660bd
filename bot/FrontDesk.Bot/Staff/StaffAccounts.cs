using Npgsql;

namespace FrontDesk.Bot.Staff;

public sealed record StaffMember(long Id, string Login, string DisplayName, string Role);

public enum SignInOutcome { SignedIn, WrongCredentials, LockedOut }

/// <summary>Staff accounts with hashed passwords and a lockout after repeated failures, and the audit log of staff actions.</summary>
public sealed class StaffAccounts(NpgsqlDataSource db, TimeProvider time)
{
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    public static readonly string[] Roles = ["coordinator", "admin"];

    public async Task<StaffMember> AddAsync(string login, string displayName, string role, string password, CancellationToken ct)
    {
        if (!Roles.Contains(role))
            throw new ArgumentException($"Role must be one of: {string.Join(", ", Roles)}.", nameof(role));
        if (password.Length < 12)
            throw new ArgumentException("A staff password needs at least 12 characters.", nameof(password));
        await using var cmd = db.CreateCommand("""
            insert into staff.accounts (login, display_name, role, password_hash, created_at)
            values (@login, @name, @role, @hash, @now) returning id
            """);
        cmd.Parameters.AddWithValue("login", login.Trim().ToLowerInvariant());
        cmd.Parameters.AddWithValue("name", displayName.Trim());
        cmd.Parameters.AddWithValue("role", role);
        cmd.Parameters.AddWithValue("hash", PasswordHashing.Hash(password));
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        var id = (long)(await cmd.ExecuteScalarAsync(ct))!;
        return new StaffMember(id, login.Trim().ToLowerInvariant(), displayName.Trim(), role);
    }

    public async Task<(SignInOutcome Outcome, StaffMember? Member)> SignInAsync(string login, string password, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var find = db.CreateCommand("""
            select id, login, display_name, role, password_hash, locked_until from staff.accounts
            where login = @login and disabled_at is null
            """);
        find.Parameters.AddWithValue("login", login.Trim().ToLowerInvariant());
        StaffMember? member = null;
        string? hash = null;
        DateTimeOffset? lockedUntil = null;
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                member = new StaffMember(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
                hash = reader.GetString(4);
                lockedUntil = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5);
            }
        }
        if (member is null)
        {
            PasswordHashing.Verify(password, PasswordHashing.Hash("timing-equaliser")); // same work as a real check
            return (SignInOutcome.WrongCredentials, null);
        }
        if (lockedUntil > now)
            return (SignInOutcome.LockedOut, null);
        if (!PasswordHashing.Verify(password, hash!))
        {
            await using var fail = db.CreateCommand("""
                update staff.accounts set failed_attempts = failed_attempts + 1,
                    locked_until = case when failed_attempts + 1 >= @max then @until else locked_until end
                where id = @id
                returning locked_until > @now
                """);
            fail.Parameters.AddWithValue("id", member.Id);
            fail.Parameters.AddWithValue("max", MaxFailedAttempts);
            fail.Parameters.AddWithValue("until", now + LockoutDuration);
            fail.Parameters.AddWithValue("now", now);
            var locked = await fail.ExecuteScalarAsync(ct) is true;
            await AuditAsync(member.Login, locked ? "sign-in-locked" : "sign-in-failed", null, null, ct);
            return (locked ? SignInOutcome.LockedOut : SignInOutcome.WrongCredentials, null);
        }
        await using (var ok = db.CreateCommand("update staff.accounts set failed_attempts = 0, locked_until = null where id = @id"))
        {
            ok.Parameters.AddWithValue("id", member.Id);
            await ok.ExecuteNonQueryAsync(ct);
        }
        await AuditAsync(member.Login, "sign-in", null, null, ct);
        return (SignInOutcome.SignedIn, member);
    }

    /// <summary>An active (not disabled) staff member, or null.</summary>
    public async Task<StaffMember?> FindAsync(string login, CancellationToken ct) =>
        (await ActiveAsync(login.Trim().ToLowerInvariant(), ct)).FirstOrDefault();

    /// <summary>Every active staff member, by login: the colleagues a conversation can be transferred to.</summary>
    public Task<List<StaffMember>> ListAsync(CancellationToken ct) => ActiveAsync(null, ct);

    async Task<List<StaffMember>> ActiveAsync(string? login, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select id, login, display_name, role from staff.accounts
            where disabled_at is null and (@login::text is null or login = @login)
            order by login
            """);
        cmd.Parameters.AddWithValue("login", (object?)login ?? DBNull.Value);
        var members = new List<StaffMember>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            members.Add(new StaffMember(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return members;
    }

    public async Task AuditAsync(string login, string action, string? target, string? detail, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("insert into staff.audit (at, login, action, target, detail) values (@at, @login, @action, @target, @detail)");
        cmd.Parameters.AddWithValue("at", time.GetUtcNow());
        cmd.Parameters.AddWithValue("login", login);
        cmd.Parameters.AddWithValue("action", action);
        cmd.Parameters.AddWithValue("target", (object?)target ?? DBNull.Value);
        cmd.Parameters.AddWithValue("detail", (object?)detail ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
