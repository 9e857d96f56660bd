using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Kiosk;

/// <summary>
/// A token bucket per device on conversation starts and posts (ASP.NET Core's rate limiter, policy <see cref="Name"/>):
/// a stuck key or a script on the page cannot flood the engine. Requests naming no device pass on to the filter's 401/403.
/// </summary>
public sealed partial class DeviceRateLimit(IOptions<KioskOptions> options, KioskDevices devices, KioskTokens tokens, ILoggerFactory logs)
    : IRateLimiterPolicy<string>
{
    public const string Name = "kiosk-device";

    readonly ILogger logger = logs.CreateLogger("FrontDesk.Bot.Kiosk.DirectLine");

    public RateLimitPartition<string> GetPartition(HttpContext http) => DeviceOf(http) is { } device
        ? RateLimitPartition.GetTokenBucketLimiter(device, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.PostBurst,
            TokensPerPeriod = Math.Max(1, (int)Math.Ceiling(options.Value.PostsPerMinute / 60.0)),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        })
        : RateLimitPartition.GetNoLimiter("");

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (context, _) =>
    {
        var http = context.HttpContext;
        LogRateLimited(logger, DeviceOf(http) ?? "");
        http.Response.Headers.RetryAfter = "2";
        return new ValueTask(DirectLineEndpoints.Error(StatusCodes.Status429TooManyRequests, "TooManyRequests",
            "This kiosk is sending too fast. Please wait a moment and try again.").ExecuteAsync(http));
    };

    /// <summary>The device a device key names, or a conversation token where the endpoint takes only a token.</summary>
    string? DeviceOf(HttpContext http)
    {
        var bearer = DirectLineAuthorization.Bearer(http);
        if (devices.Authenticate(bearer) is { } device)
            return device;
        // Starting with a token is not counted again: its conversation was counted when the token was generated.
        if (http.GetEndpoint()?.Metadata.GetMetadata<DirectLineAccess>() is { Accepts: not DirectLineCredential.ConversationToken })
            return null;
        return tokens.Check(bearer, out var token) == TokenCheck.Valid ? token!.Device : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kiosk device {Device} is sending too fast; request refused")]
    static partial void LogRateLimited(ILogger logger, string device);
}
