using System.Text.Json.Nodes;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Kiosk;

/// <summary>The built front-end (kiosk/dist) at /kiosk, under a strict content security policy, and the API the page calls.</summary>
public static partial class KioskPage
{
    // Web Chat injects its styles at run time; scripts come only from this host, and nothing may frame the page.
    const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "connect-src 'self' ws: wss:; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static void MapKioskPage(this WebApplication app, string folder, ILogger logger)
    {
        if (!File.Exists(Path.Combine(folder, "index.html")))
        {
            LogNotBuilt(logger, folder);
            app.MapGet("/kiosk/{**rest}", () => Results.Text(
                "The kiosk page is not built. Run ./frontdesk up, or npm ci && npm run build in kiosk/.", statusCode: StatusCodes.Status503ServiceUnavailable));
            return;
        }
        var files = new PhysicalFileProvider(folder);
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/kiosk"))
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers["Referrer-Policy"] = "no-referrer";
            }
            await next();
        });
        // "/kiosk" and "/kiosk/" are one route; the page's asset addresses are absolute, so both work.
        app.MapGet("/kiosk", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            return Results.File(Path.Combine(folder, "index.html"), "text/html; charset=utf-8");
        });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = "/kiosk" });
    }

    public static void MapKioskApi(this WebApplication app)
    {
        var api = app.MapGroup("/kiosk/api").AddEndpointFilter<DirectLineAuthorization>();
        api.MapGet("/config", (IOptions<KioskOptions> options) =>
        {
            var o = options.Value;
            return Results.Ok(new JsonObject
            {
                ["directLine"] = DirectLineEndpoints.BasePath,
                ["idleSeconds"] = o.IdleSeconds,
                ["countdownSeconds"] = o.CountdownSeconds,
                ["pollingIntervalMs"] = o.PollingIntervalMs,
                ["webSocket"] = o.WebSocket,
                ["lineEnabled"] = o.LineAddFriendUrl.Length > 0,
            });
        }).WithMetadata(new DirectLineAccess(DirectLineCredential.None));

        api.MapPost("/continuation", async (HttpContext http, ContinuationCodes codes, IOptions<KioskOptions> options, CancellationToken ct) =>
        {
            var conversationId = DirectLineAuthorization.Caller(http).ConversationId!;
            var (code, expires) = await codes.IssueAsync(DirectLineEndpoints.Address(conversationId).Key, ct);
            var message = $"引き継ぎコード {code}";
            var template = options.Value.LineAddFriendUrl;
            return Results.Ok(new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["url"] = template.Replace("{code}", Uri.EscapeDataString(message), StringComparison.Ordinal),
                ["expiresAt"] = expires.UtcDateTime.ToString("O"),
            });
        });

        api.MapGet("/continuation/{code}", async (string code, HttpContext http, ContinuationCodes codes, CancellationToken ct) =>
        {
            var conversationId = DirectLineAuthorization.Caller(http).ConversationId!;
            var used = await codes.IsUsedAsync(code, DirectLineEndpoints.Address(conversationId).Key, ct);
            return used is null
                ? DirectLineEndpoints.Error(StatusCodes.Status404NotFound, "NotFound", "Unknown code.")
                : Results.Ok(new JsonObject { ["used"] = used.Value });
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kiosk page not found in {Folder}; /kiosk answers 503 until it is built")]
    static partial void LogNotBuilt(ILogger logger, string folder);
}
