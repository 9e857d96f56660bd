using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Line.RichMenu;
using FrontDesk.Jobs;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace FrontDesk.Bot.Line;

public static partial class LineExtensions
{
    /// <summary>
    /// The LINE channel on top of the engine (whose set-up brings the Messaging API client): webhook, inbox, sender,
    /// renderer. Disabled (one log line) without credentials.
    /// </summary>
    public static IHostApplicationBuilder AddLine(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<LineEventMapper>();
        services.AddSingleton<LineInbox>();
        services.AddSingleton<LineUsers>();
        services.AddSingleton<LineWebhook>();
        services.AddSingleton<LineRenderer>();
        services.AddSingleton<IChannelSender, LineSender>();
        services.AddHostedService<LineStatus>();
        services.AddTransient<LineInboxRetentionJob>();
        services.AddRecurringJob<LineInboxRetentionJob>(LineInboxRetentionJob.JobId, JobQueues.Bot, "45 3 * * *", j => j.RunAsync(CancellationToken.None));
        return builder;
    }

    /// <summary>Options and the Messaging API client (the engine's LINE middleware, the rich-menu command).</summary>
    public static IHostApplicationBuilder AddLineClient(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LineOptions>()
            .BindConfiguration(LineOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddTransient<RichMenuInstaller>();
        // Polly reports every timed-out or retried attempt (with a stack trace); LineSender and the outbox report each
        // failed delivery once, which is what an operator needs. Only the LINE client uses Polly.
        builder.Logging.AddFilter("Polly", LogLevel.Critical);
        services.AddHttpClient<LineMessagingClient>()
            // The client lives in singletons (the sender); pooled connections are renewed instead of the handler.
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("line", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<LineOptions>>().Value;
                if (o.PushRetries > 0)
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.PushRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = o.PushRetryDelay,
                        // Only what LINE executes at most once: a push carrying its retry key, or a read. A reply is never
                        // retried: its token is single-use, so a retry could at best fail and at worst duplicate.
                        ShouldHandle = args => ValueTask.FromResult(
                            IsRetryable(args.Context.GetRequestMessage()) && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                    });
                pipeline.AddTimeout(o.RequestTimeout);
            });
        return builder;
    }

    static bool IsRetryable(HttpRequestMessage? request) =>
        request is not null && (request.Method == HttpMethod.Get || request.Headers.Contains(LineMessagingClient.RetryKeyHeader));

    public static IEndpointRouteBuilder MapLine(this IEndpointRouteBuilder app)
    {
        app.MapPost("/line/webhook", (HttpContext http, LineWebhook webhook, CancellationToken ct) => webhook.HandleAsync(http, ct))
            .WithName("LineWebhook");
        return app;
    }

    /// <summary>Says once at start-up whether the channel is on, without showing any secret.</summary>
    sealed partial class LineStatus(IOptions<LineOptions> options, ILogger<LineStatus> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken ct)
        {
            if (options.Value.Enabled)
                LogEnabled(options.Value.ApiBaseUrl);
            else
                LogDisabled();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "LINE channel enabled: webhook at POST /line/webhook, Messaging API at {ApiBaseUrl}")]
        partial void LogEnabled(string apiBaseUrl);

        [LoggerMessage(Level = LogLevel.Warning, Message = "LINE channel disabled: Line__ChannelSecret and Line__ChannelAccessToken are not set; POST /line/webhook answers 503")]
        partial void LogDisabled();
    }
}
