using Microsoft.Extensions.DependencyInjection.Extensions;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Menu;
using FrontDesk.Bot.Flows.Questions;
using FrontDesk.Jobs;

namespace FrontDesk.Bot.Registration;

public static class RegistrationExtensions
{
    /// <summary>The registration flow and LINE account commands (its schema and middleware are in the engine's lists).</summary>
    public static IHostApplicationBuilder AddRegistration(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<FieldCipher>();
        services.AddSingleton<RegistrationStore>();
        services.AddSingleton<RegistrationFields>();
        services.AddSingleton<RegistrationFlow>();
        services.AddSingleton<Flow>(sp => sp.GetRequiredService<RegistrationFlow>());
        services.AddSingleton<TextIntent, RegistrationAccount>();
        services.AddTransient<RegistrationMaintenanceJob>();
        services.AddRecurringJob<RegistrationMaintenanceJob>(RegistrationMaintenanceJob.JobId, JobQueues.Bot, "15 * * * *", j => j.RunAsync(CancellationToken.None));
        // Only the policy: the web host adds authorization itself (AddStaff); hosts without endpoints (the terminal chat,
        // the bench) must not get authorization services that need routing.
        services.Configure<Microsoft.AspNetCore.Authorization.AuthorizationOptions>(o =>
            o.AddPolicy(RegistrationConsole.RegistrarPolicy, p => p.RequireAuthenticatedUser().RequireRole(RegistrationConsole.RegistrarRoles)));
        services.AddSingleton(new MenuEntry(40, new("ふるさと住民登録", "Furusato registration"),
            new("地域とつながる登録（確認・変更・削除もこちら）", "Stay connected with the region"), Commands.StartFlow, RegistrationFlow.FlowName));
        return builder;
    }
}
