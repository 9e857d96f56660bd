using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows;
using FrontDesk.Bot.Flows.Guidance;
using FrontDesk.Bot.Flows.Listings;
using FrontDesk.Bot.Handoff;
using FrontDesk.Bot.Kiosk;
using FrontDesk.Bot.Line;
using FrontDesk.Bot.Registration;
using FrontDesk.Knowledge.Documents;
using FrontDesk.Knowledge.Listings;

namespace FrontDesk.Bot;

/// <summary>
/// The conversation engine as every host runs it (web host, terminal chat, tests, bench): the engine, the flows and
/// the knowledge they answer from, and the turn pipeline. Hosts add their channels on top (AddLine, AddKiosk,
/// AddTurnDispatcher for background processing).
/// </summary>
public static class ConversationEngineSetup
{
    public static IHostApplicationBuilder AddConversationEngine(this IHostApplicationBuilder builder)
    {
        builder.AddKnowledge();
        builder.AddListings();
        builder.AddConversations();
        builder.AddFlows();
        builder.AddRegistration();
        builder.AddGuidance();
        builder.AddListingSearch();
        builder.AddHandoff();
        // What the channel middlewares below need, also on hosts without the channel's endpoints.
        builder.AddLineClient();
        builder.AddContinuationCodes();
        builder.Services.AddSingleton(Pipeline);
        return builder;
    }

    /// <summary>The turn middleware, outermost first; the router runs the flows at the end.</summary>
    static TurnPipeline Pipeline(IServiceProvider services)
    {
        T Use<T>() where T : ITurnMiddleware => ActivatorUtilities.CreateInstance<T>(services);
        ITurnMiddleware[] order =
        [
            // Before the transcript and the handoff: an unsent message leaves the transcript (the console's too), and
            // the unsend itself is neither recorded nor answered.
            Use<UnsendMiddleware>(),
            // Records what every step below answers, the error apology included.
            Use<TranscriptMiddleware>(),
            Use<ErrorMiddleware>(),
            Use<InputGuardMiddleware>(),
            // Asking for a person inside the registration form hands over with the form's progress attached.
            Use<RegistrationHandoffMiddleware>(),
            // Hands over to a coordinator, and keeps the bot silent while one has the conversation.
            Use<HandoffMiddleware>(),
            // LINE: stickers and images answered, the loading animation while a turn takes long.
            Use<LineTurnMiddleware>(),
            // A kiosk continuation code carries the kiosk conversation over; after the input guard, so only in a clean message.
            Use<ContinuationCodeMiddleware>(),
        ];
        // Test doubles registered as ITurnMiddleware run last, just before the router (a module's own registration of a
        // middleware listed above is not run twice).
        var extra = services.GetServices<ITurnMiddleware>().Where(m => !order.Any(o => o.GetType() == m.GetType()));
        return new TurnPipeline([.. order, .. extra], services.GetRequiredService<TurnRouter>().RouteAsync);
    }
}
