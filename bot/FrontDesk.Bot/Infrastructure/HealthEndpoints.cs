using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FrontDesk.Bot.Infrastructure;

public static class HealthEndpoints
{
    /// <summary>
    /// /health/live: the process answers. /health/ready: database reachable and every migration applied.
    /// /health/delivery: replies waiting and set aside (counts only), as JSON.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapHealthChecks("/health/delivery", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("delivery"),
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status200OK },
            ResponseWriter = (http, report) => http.Response.WriteAsJsonAsync(new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
            }, JsonSerializerOptions.Web),
        });
        return app;
    }
}
