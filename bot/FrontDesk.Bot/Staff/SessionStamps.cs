using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Staff;

/// <summary>
/// Ends sessions that outlived their account: each staff cookie carries the account's security stamp, and every request
/// compares it with the stamp in the database (cached per host for <see cref="StaffOptions.SessionCheckInterval"/>,
/// dropped at once when this host changes it). Sign-out, a new password, a new role and disabling change the stamp.
/// </summary>
public sealed class SessionStamps
{
    public const string IdClaim = "staff_id";
    public const string StampClaim = "staff_stamp";

    readonly ConcurrentDictionary<long, (Guid? Stamp, DateTimeOffset ReadAt)> cache = new();
    readonly StaffAccounts accounts;
    readonly TimeProvider time;
    readonly IOptions<StaffOptions> options;

    public SessionStamps(StaffAccounts accounts, TimeProvider time, IOptions<StaffOptions> options)
    {
        this.accounts = accounts;
        this.time = time;
        this.options = options;
        accounts.StampChanged += id => cache.TryRemove(id, out _);
    }

    public static IEnumerable<Claim> ClaimsOf(StaffMember member) =>
    [
        new(IdClaim, member.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new(StampClaim, member.SecurityStamp.ToString("N")),
    ];

    public async Task<bool> IsCurrentAsync(ClaimsPrincipal? principal, CancellationToken ct)
    {
        if (!long.TryParse(principal?.FindFirstValue(IdClaim), out var id) || !Guid.TryParse(principal?.FindFirstValue(StampClaim), out var stamp))
            return false;
        var now = time.GetUtcNow();
        if (!cache.TryGetValue(id, out var entry) || now - entry.ReadAt >= options.Value.SessionCheckInterval)
            cache[id] = entry = (await accounts.SecurityStampAsync(id, ct), now);
        return entry.Stamp == stamp;
    }

    /// <summary>The cookie handler's check on every authenticated request.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var stamps = context.HttpContext.RequestServices.GetRequiredService<SessionStamps>();
        if (await stamps.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted))
            return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
