using Hangfire;
using Hangfire.Dashboard;

namespace FrontDesk.Bot.Infrastructure;

public static class JobsDashboard
{
    /// <summary>The Hangfire dashboard at /hangfire: signed-in staff only; in Development also requests from this machine.</summary>
    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        var development = app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment();
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new StaffOnly(development)],
            DashboardTitle = "FrontDesk jobs",
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    sealed class StaffOnly(bool development) : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var http = context.GetHttpContext();
            if (http.User.Identity?.IsAuthenticated == true && (http.User.IsInRole("admin") || http.User.IsInRole("coordinator")))
                return true;
            return development && http.Connection.RemoteIpAddress is { } ip && System.Net.IPAddress.IsLoopback(ip);
        }
    }
}
