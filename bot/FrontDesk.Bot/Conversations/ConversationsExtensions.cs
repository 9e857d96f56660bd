using FrontDesk.Bot.Registration;
using FrontDesk.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FrontDesk.Bot.Conversations;

public static class ConversationsExtensions
{
    /// <summary>The engine itself (hosts call AddConversationEngine). <see cref="TurnDispatcher"/> runs only where <c>AddTurnDispatcher</c> is called.</summary>
    public static IHostApplicationBuilder AddConversations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ConversationOptions>()
            .BindConfiguration(ConversationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<FlowCatalog>();
        services.AddSingleton<ChannelSenders>();
        // Inbound activities and outbox rows are sealed with the personal-data keys when they are configured.
        services.TryAddSingleton<FieldCipher>();
        services.AddSingleton<Outbox>();
        services.AddHealthChecks().AddCheck<OutboxHealthCheck>("delivery", tags: ["ready", "delivery"]);
        services.AddSingleton<ConversationEngine>();
        services.AddSingleton<TurnDispatcher>();
        services.AddTransient<TranscriptRetentionJob>();
        services.AddRecurringJob<TranscriptRetentionJob>(TranscriptRetentionJob.JobId, JobQueues.Bot, "30 3 * * *", j => j.RunAsync(CancellationToken.None));
        return builder;
    }

    /// <summary>Background processing of posted activities and delivery of their replies, with the sweeps for stranded ones (web hosts).</summary>
    public static IHostApplicationBuilder AddTurnDispatcher(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TurnDispatcher>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Outbox>());
        return builder;
    }
}
