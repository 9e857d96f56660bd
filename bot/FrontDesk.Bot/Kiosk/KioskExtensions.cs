using FrontDesk.Bot.Registration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using FrontDesk.Bot.Conversations;
using FrontDesk.Jobs;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Kiosk;

public static partial class KioskExtensions
{
    /// <summary>The kiosk channel on top of the engine: Direct Line for Web Chat and its sender.</summary>
    public static IHostApplicationBuilder AddKiosk(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<KioskTokens>();
        services.AddSingleton<KioskDevices>();
        // Activities are sealed with the personal-data keys (Registration__Keys) when they are configured.
        services.TryAddSingleton<FieldCipher>();
        services.AddSingleton<KioskConversations>();
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, DeviceRateLimit>(DeviceRateLimit.Name));
        services.AddSingleton<IChannelSender, KioskSender>();
        services.AddTransient<KioskCleanupJob>();
        services.AddRecurringJob<KioskCleanupJob>(KioskCleanupJob.JobId, JobQueues.Bot, "*/10 * * * *", j => j.RunAsync(CancellationToken.None));
        return builder;
    }

    /// <summary>The kiosk options and the continuation codes, which every channel redeems (the engine's set-up calls this).</summary>
    public static IHostApplicationBuilder AddContinuationCodes(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KioskOptions>()
            .BindConfiguration(KioskOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ContinuationCodes>();
        return builder;
    }

    /// <summary>Direct Line at /v3/directline, the page at /kiosk and the page's small API at /kiosk/api.</summary>
    public static WebApplication MapKiosk(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<KioskOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FrontDesk.Bot.Kiosk");
        if (app.Services.GetRequiredService<KioskDevices>().Count == 0)
            LogNoDevices(logger);
        if (app.Services.GetRequiredService<KioskTokens>().IsEphemeral)
            LogEphemeralKey(logger);

        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.MapDirectLine();
        app.MapKioskPage(Path.GetFullPath(Path.Combine(app.Environment.ContentRootPath, options.PageFolder)), logger);
        app.MapKioskApi();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kiosk: no devices configured (Kiosk__Devices__0__Name / __Key); the kiosk channel refuses every device until one is")]
    static partial void LogNoDevices(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kiosk: no Kiosk__TokenSigningKey; conversation tokens are signed with a per-process key and end with this process")]
    static partial void LogEphemeralKey(ILogger logger);
}
