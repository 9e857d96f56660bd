using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Coordinators;

/// <summary>
/// The hub's cross-origin check. SameSite keeps other sites' pages out, but a page on another port of the same host is
/// the same site: it could open /console/hub with a coordinator's cookie. Browsers send Origin on the negotiate POST and
/// on the WebSocket handshake, so every hub request whose Origin is neither this host's own nor configured is refused.
/// A request without Origin comes from no browser page (the .NET client, a script) and needs the cookie anyway.
/// </summary>
public static class ConsoleOrigins
{
    public static IApplicationBuilder UseConsoleHubOrigins(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Path.StartsWithSegments(ConsoleHub.Path) && http.Request.Headers.Origin.ToString() is { Length: > 0 } origin
            && !IsAllowed(http, origin, http.RequestServices.GetRequiredService<IOptions<ConsoleOptions>>().Value))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("This page's origin may not open the console hub.");
            return;
        }
        await next(http);
    });

    static bool IsAllowed(HttpContext http, string origin, ConsoleOptions options) =>
        string.Equals(origin, $"{http.Request.Scheme}://{http.Request.Host}", StringComparison.OrdinalIgnoreCase)
        || options.AllowedOrigins.Any(o => string.Equals(origin, o.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
}
