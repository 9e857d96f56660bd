using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FrontDesk.Bot.Conversations;

/// <summary>Degraded while replies are set aside (never delivered after retrying for the configured time): someone must look.</summary>
public sealed class OutboxHealthCheck(Outbox outbox) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var (pending, setAside) = await outbox.CountsAsync(ct);
        var data = new Dictionary<string, object> { ["pending"] = pending, ["setAside"] = setAside };
        return setAside == 0
            ? HealthCheckResult.Healthy($"{pending} replies waiting for delivery", data)
            : HealthCheckResult.Degraded($"{setAside} replies could not be delivered and were set aside", data: data);
    }
}
