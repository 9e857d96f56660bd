using FrontDesk.Bot.Registration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using FrontDesk.Bot.Conversations;
using FrontDesk.Jobs;

namespace FrontDesk.Bot.Handoff;

public static class HandoffExtensions
{
    /// <summary>The handoff rules, the desk and the jobs around them; the middleware is in the turn pipeline.</summary>
    public static IHostApplicationBuilder AddHandoff(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HandoffOptions>().BindConfiguration(HandoffOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<OfficeHoursOptions>().BindConfiguration(OfficeHoursOptions.SectionName);
        builder.Services.AddSingleton<HandoffRules>();
        builder.Services.AddSingleton<OfficeHours>();
        // Callback contacts are sealed with the personal-data keys (Registration__Keys); without keys no callback is offered.
        builder.Services.TryAddSingleton<FieldCipher>();
        builder.Services.AddSingleton<HandoffDesk>();
        builder.Services.AddSingleton<CallbackRequests>();
        builder.Services.AddRecurringJob<CallbackRequests>("handoff-callback-retention", JobQueues.Bot, "15 3 * * *", j => j.DeleteExpiredAsync(CancellationToken.None));
        builder.Services.AddTransient<HandoffReminderJob>();
        builder.Services.AddRecurringJob<HandoffReminderJob>(HandoffReminderJob.JobId, JobQueues.Bot, "* * * * *", j => j.RunAsync(CancellationToken.None));
        return builder;
    }
}
