using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Staff;

/// <summary>
/// Sign-in attempts are limited per client address (ASP.NET Core's rate-limiting middleware, policy <see cref="Policy"/>)
/// and per login name (checked in the handler, where the form has been read). Both are token buckets refilled each minute.
/// </summary>
public sealed class SignInLimits : IDisposable
{
    public const string Policy = "staff-sign-in";
    public const string Message = "サインインの試行が多すぎます。1分ほど待ってからもう一度お試しください。(Too many sign-in attempts. Please wait a minute and try again.)";

    readonly PartitionedRateLimiter<string> byLogin;

    public SignInLimits(IOptions<StaffOptions> options) =>
        byLogin = PartitionedRateLimiter.Create<string, string>(login => RateLimitPartition.GetTokenBucketLimiter(login, _ => Bucket(options.Value.SignInsPerLoginPerMinute)));

    public bool TryAcquireForLogin(string login)
    {
        using var lease = byLogin.AttemptAcquire(login.Trim().ToLowerInvariant());
        return lease.IsAcquired;
    }

    static TokenBucketRateLimiterOptions Bucket(int perMinute) => new()
    {
        TokenLimit = perMinute,
        TokensPerPeriod = perMinute,
        ReplenishmentPeriod = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    public static void AddPolicy(RateLimiterOptions limiter, StaffOptions options)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.AddPolicy(Policy, http => RateLimitPartition.GetTokenBucketLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => Bucket(options.SignInsPerAddressPerMinute)));
        limiter.OnRejected = (context, ct) =>
        {
            context.HttpContext.Response.Headers.RetryAfter = "60";
            context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
            return new ValueTask(context.HttpContext.Response.WriteAsync(Message, ct));
        };
    }

    public void Dispose() => byLogin.Dispose();
}
