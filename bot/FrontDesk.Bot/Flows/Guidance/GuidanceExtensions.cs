using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Questions;
using FrontDesk.Knowledge.Rules;

namespace FrontDesk.Bot.Flows.Guidance;

public static class GuidanceExtensions
{
    /// <summary>The school/childcare guide and the support finder over the rule files, their handoff and the offer under knowledge answers.</summary>
    public static IHostApplicationBuilder AddGuidance(this IHostApplicationBuilder builder)
    {
        builder.AddRules();
        var services = builder.Services;
        services.AddSingleton<SchoolGuideFlow>();
        services.AddSingleton<SupportFinderFlow>();
        services.AddSingleton<Flow>(sp => sp.GetRequiredService<SchoolGuideFlow>());
        services.AddSingleton<Flow>(sp => sp.GetRequiredService<SupportFinderFlow>());
        services.AddSingleton<TextIntent, GuidanceStartIntent>();
        services.AddSingleton<Interruption, GuidanceHandoff>();
        services.AddSingleton<AnswerFollowUp, GuidanceFollowUp>();
        return builder;
    }
}
