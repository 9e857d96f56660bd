using Dapper;
using Npgsql;

namespace FrontDesk.Bot.Staff;

public sealed record StaffMember(long Id, string Login, string DisplayName, string Role, Guid SecurityStamp = default);

public enum SignInOutcome { SignedIn, WrongCredentials, Busy }

/// <summary>Staff accounts with hashed passwords and a lockout after repeated failures, and the audit log of staff actions.</summary>
public sealed class StaffAccounts(NpgsqlDataSource db, PasswordVerifier verifier, TimeProvider time)
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
        await using var conn = await db.OpenConnectionAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into staff.accounts (login, display_name, role, password_hash, created_at)
            values (@login, @name, @role, @hash, @now) returning id
            """, new { login = login.Trim().ToLowerInvariant(), name = displayName.Trim(), role, hash = PasswordHashing.Hash(password), now = time.GetUtcNow() },
            cancellationToken: ct));
        return new StaffMember(id, login.Trim().ToLowerInvariant(), displayName.Trim(), role);
    }

    /// <summary>
    /// Counts the attempt before the password is checked, in one statement that also refuses a locked or disabled
    /// account: concurrent wrong passwords are serialised on the row, so exactly <see cref="MaxFailedAttempts"/> are
    /// ever checked before the lock. An unknown, disabled or locked login costs one check against a dummy hash and
    /// gets the same answer as a wrong password, so neither timing nor wording tells them apart.
    /// </summary>
    public async Task<(SignInOutcome Outcome, StaffMember? Member)> SignInAsync(string login, string password, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // The audit row goes in the same statement, for a known login and an unknown one alike: both cost one commit.
        (long Id, string Login, string DisplayName, string Role, string PasswordHash, Guid SecurityStamp) row;
        // The connection goes back to the pool before the slow password check.
        await using (var conn = await db.OpenConnectionAsync(ct))
            row = await conn.QuerySingleOrDefaultAsync<(long, string, string, string, string, Guid)>(new CommandDefinition("""
            with attempt as (
                update staff.accounts set
                    failed_attempts = case when locked_until is null then failed_attempts + 1 else 1 end,
                    locked_until = case when (case when locked_until is null then failed_attempts + 1 else 1 end) >= @max then @until end
                where login = @login and disabled_at is null and (locked_until is null or locked_until <= @now)
                returning id, login, display_name, role, password_hash, failed_attempts, security_stamp
            ), audit as (
                insert into staff.audit (at, login, action, detail)
                select @now, coalesce(a.login, ''), case when a.id is null then 'sign-in-refused' else 'sign-in-attempt' end,
                    case when a.id is null then null else a.failed_attempts || '/' || @max end
                from (select 1) one left join attempt a on true
            )
            select id, login, display_name, role, password_hash, security_stamp from attempt
            """, new { login = login.Trim().ToLowerInvariant(), max = MaxFailedAttempts, until = now + LockoutDuration, now }, cancellationToken: ct));
        var member = row.Login is null ? null : new StaffMember(row.Id, row.Login, row.DisplayName, row.Role, row.SecurityStamp);
        var hash = member is null ? PasswordHashing.DummyHash : row.PasswordHash;
        if (verifier.TryVerify(password, hash) is not { } check)
            return (SignInOutcome.Busy, null);
        var matches = await check.WaitAsync(ct);
        if (member is null || !matches)
            return (SignInOutcome.WrongCredentials, null);
        await using (var conn = await db.OpenConnectionAsync(ct))
            await conn.ExecuteAsync(new CommandDefinition(
                "update staff.accounts set failed_attempts = 0, locked_until = null where id = @id", new { id = member.Id }, cancellationToken: ct));
        await AuditAsync(member.Login, "sign-in", null, null, ct);
        return (SignInOutcome.SignedIn, member);
    }

    /// <summary>The account's current security stamp, or null when it is disabled or gone.</summary>
    public async Task<Guid?> SecurityStampAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "select security_stamp from staff.accounts where id = @id and disabled_at is null", new { id }, cancellationToken: ct));
    }

    /// <summary>Ends every session of the account (sign-out everywhere).</summary>
    public Task<bool> EndSessionsAsync(string login, CancellationToken ct) => ChangeAsync(login, "", null, ct);

    public Task<bool> DisableAsync(string login, CancellationToken ct) =>
        ChangeAsync(login, ", disabled_at = @now", new { now = time.GetUtcNow() }, ct);

    public Task<bool> SetRoleAsync(string login, string role, CancellationToken ct) => Roles.Contains(role)
        ? ChangeAsync(login, ", role = @role", new { role }, ct)
        : throw new ArgumentException($"Role must be one of: {string.Join(", ", Roles)}.", nameof(role));

    public Task<bool> SetPasswordAsync(string login, string password, CancellationToken ct) => password.Length >= 12
        ? ChangeAsync(login, ", password_hash = @hash, failed_attempts = 0, locked_until = null", new { hash = PasswordHashing.Hash(password) }, ct)
        : throw new ArgumentException("A staff password needs at least 12 characters.", nameof(password));

    /// <summary>Every change that must end the account's sessions goes with a new security stamp.</summary>
    async Task<bool> ChangeAsync(string login, string set, object? values, CancellationToken ct)
    {
        var parameters = new DynamicParameters(values);
        parameters.Add("login", login.Trim().ToLowerInvariant());
        await using var conn = await db.OpenConnectionAsync(ct);
        if (await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"update staff.accounts set security_stamp = gen_random_uuid(){set} where login = @login returning id", parameters, cancellationToken: ct)) is not { } id)
            return false;
        StampChanged?.Invoke(id);
        return true;
    }

    /// <summary>Raised on this host when an account's stamp changed, so the session check forgets its cached copy.</summary>
    public event Action<long>? StampChanged;

    /// <summary>An active (not disabled) staff member, or null.</summary>
    public async Task<StaffMember?> FindAsync(string login, CancellationToken ct) =>
        (await ActiveAsync(login.Trim().ToLowerInvariant(), ct)).FirstOrDefault();

    /// <summary>Every active staff member, by login: the colleagues a conversation can be transferred to.</summary>
    public Task<List<StaffMember>> ListAsync(CancellationToken ct) => ActiveAsync(null, ct);

    async Task<List<StaffMember>> ActiveAsync(string? login, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var members = await conn.QueryAsync<(long Id, string Login, string DisplayName, string Role)>(new CommandDefinition("""
            select id, login, display_name, role from staff.accounts
            where disabled_at is null and (@login::text is null or login = @login)
            order by login
            """, new { login }, cancellationToken: ct));
        return members.Select(m => new StaffMember(m.Id, m.Login, m.DisplayName, m.Role)).ToList();
    }

    public async Task AuditAsync(string login, string action, string? target, string? detail, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "insert into staff.audit (at, login, action, target, detail) values (@at, @login, @action, @target, @detail)",
            new { at = time.GetUtcNow(), login, action, target, detail }, cancellationToken: ct));
    }
}
