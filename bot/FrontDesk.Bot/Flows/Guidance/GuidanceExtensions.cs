using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Menu;
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
        services.AddSingleton(new MenuEntry(25, new("支援制度さがし", "Support finder"),
            new("いくつかの質問から使えそうな支援制度を探します", "A few questions to find support that may fit"), Commands.StartFlow, SupportFinderFlow.FlowName));
        services.AddSingleton(new MenuEntry(30, new("学校・保育の案内", "School and childcare guide"),
            new("お子さんの通学や保育の仕組みをご案内します", "Schooling and childcare options for your child"), Commands.StartFlow, SchoolGuideFlow.FlowName));
        return builder;
    }
}
