using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FrontDesk.Knowledge.Rules;

public static class RulesExtensions
{
    /// <summary>Rule files, their store in kb.rule_sets and this host's copy. Safe to call more than once.</summary>
    public static IHostApplicationBuilder AddRules(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(RuleBookProvider)))
            return builder;
        services.AddOptions<RulesOptions>().BindConfiguration(RulesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RuleStore>();
        services.AddSingleton<RuleRefresher>();
        services.AddSingleton<RuleBookProvider>();
        services.AddHostedService(sp => sp.GetRequiredService<RuleBookProvider>());
        return builder;
    }
}
