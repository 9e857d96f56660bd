using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace FrontDesk.Bot.Infrastructure;

public static class HealthEndpoints
{
    /// <summary>/health/live: the process answers. /health/ready: database reachable and every migration applied.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
