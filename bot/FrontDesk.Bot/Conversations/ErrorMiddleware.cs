using Microsoft.Extensions.Logging;

namespace FrontDesk.Bot.Conversations;

/// <summary>A failing turn is logged (without the user's text), apologised for, and its flow reset, so the user is never stuck.</summary>
public sealed partial class ErrorMiddleware(ILogger<ErrorMiddleware> logger) : ITurnMiddleware
{
    public async Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct)
    {
        try
        {
            await next(turn, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogTurnFailed(e, turn.Address.Channel, turn.State.ActiveFlow?.Flow, turn.State.ActiveFlow?.Step);
            turn.State.Flows.Clear();
            turn.ClearOutbound();
            turn.Say(BotTexts.TurnFailed, BotTexts.MenuButton(turn));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Turn failed on channel {Channel} in flow {Flow} at step {Step}; the flow was reset")]
    partial void LogTurnFailed(Exception e, string channel, string? flow, string? step);
}

/// <summary>Refuses empty and over-long messages with a clear reply before any flow sees them.</summary>
public sealed class InputGuardMiddleware(Microsoft.Extensions.Options.IOptions<ConversationOptions> options) : ITurnMiddleware
{
    public Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct)
    {
        var inbound = turn.Inbound;
        if (inbound.Kind == ActivityKind.Message && inbound.Cards.Count == 0)
        {
            var text = inbound.Text ?? "";
            if (text.Length == 0)
            {
                turn.Say(BotTexts.EmptyMessage, BotTexts.MenuButton(turn));
                return Task.CompletedTask;
            }
            if (text.Length > options.Value.MaxInputLength)
            {
                turn.Say(BotTexts.TooLong(options.Value.MaxInputLength));
                return Task.CompletedTask;
            }
        }
        return next(turn, ct);
    }
}

/// <summary>
/// Queues the turn's inbound and outbound activities for the transcript, written in the same transaction as the state.
/// Personal input stays out: while a private flow is active (or a flow marked the turn), the inbound text is replaced
/// by a placeholder, and replies sent with <see cref="TurnContext.SayPrivately"/> are recorded without their text.
/// </summary>
public sealed class TranscriptMiddleware : ITurnMiddleware
{
    public const string PrivateInputText = "（非公開の入力）";
    public const string PrivateReplyText = "（個人情報を含むため記録していません）";

    public async Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct)
    {
        // While a coordinator has the conversation, what the user writes is meant for them and is kept.
        var privateFlow = turn.State is { Handoff: null, ActiveFlow.Private: true };
        await next(turn, ct);
        var inbound = turn.Inbound;
        if (turn.PrivateInput is not null || privateFlow)
            inbound = inbound with { Text = turn.PrivateInput ?? PrivateInputText, Value = null, Cards = [] };
        turn.Transcript.Add(new TranscriptEntry(TranscriptDirection.Inbound, inbound));
        foreach (var activity in turn.Outbound)
            turn.Transcript.Add(new TranscriptEntry(TranscriptDirection.Outbound,
                turn.IsPrivate(activity) ? activity with { Text = PrivateReplyText, SuggestedActions = [] } : activity));
    }
}
