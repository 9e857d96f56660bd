namespace FrontDesk.Bot.Conversations;

public delegate Task TurnHandler(TurnContext turn, CancellationToken ct);

/// <summary>A step around every turn, such as error handling or input checks. ConversationEngineSetup lists them in order.</summary>
public interface ITurnMiddleware
{
    Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct);
}

/// <summary>The middlewares in order, ending in the handler that routes the turn to a flow.</summary>
public sealed class TurnPipeline(IEnumerable<ITurnMiddleware> middlewares, TurnHandler terminal)
{
    readonly TurnHandler pipeline = middlewares.Reverse().Aggregate(
        terminal,
        (next, middleware) => (turn, ct) => middleware.InvokeAsync(turn, next, ct));

    public Task RunAsync(TurnContext turn, CancellationToken ct) => pipeline(turn, ct);
}
