using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Intake;
using FrontDesk.Bot.Flows.Menu;
using FrontDesk.Bot.Flows.Questions;
using FrontDesk.Bot.Flows.Topics;

namespace FrontDesk.Bot.Flows;

public static class FlowsExtensions
{
    /// <summary>The router at the end of the turn pipeline, the global commands and the flows.</summary>
    public static IHostApplicationBuilder AddFlows(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<TurnRouter>();
        services.AddSingleton<MainMenu>();
        services.AddSingleton<Greeting>();
        services.AddSingleton<FreeTextHandler>();
        services.AddOptions<IntentOptions>().BindConfiguration(IntentOptions.SectionName);
        services.AddOptions<OfficeProfile>().BindConfiguration(OfficeProfile.SectionName);
        services.AddSingleton<IntentCatalog>();
        services.AddSingleton<SmallTalk.SmallTalkIntent>();
        services.AddSingleton<TextIntent>(sp => sp.GetRequiredService<SmallTalk.SmallTalkIntent>());
        services.AddSingleton<Interruption, MenuInterruption>();
        services.AddSingleton<Interruption, HelpInterruption>();
        services.AddSingleton<Interruption, LanguageInterruption>();
        services.AddSingleton<Interruption, Topics.TopicInterruption>();

        services.AddSingleton<Flow, IntakeFlow>();
        services.AddSingleton(new MenuEntry(10, new("相談前の簡単な質問", "Quick questions"),
            new("4つの質問で相談をスムーズに", "Four questions that speed up your consultation"), Commands.StartFlow, IntakeFlow.FlowName));
        services.AddSingleton(new MenuEntry(90, new("相談員と話す", "Talk to a coordinator"),
            new("二地域居住コーディネーターへのご案内", "How to reach a dual-residence coordinator"), Commands.Contact));
        return builder;
    }
}
