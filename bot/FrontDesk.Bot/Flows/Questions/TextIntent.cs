using FrontDesk.Bot.Conversations;

namespace FrontDesk.Bot.Flows.Questions;

/// <summary>A feature that recognises free text meant for it (a listing search, say) before the text goes to the knowledge base.</summary>
public abstract class TextIntent
{
    /// <summary>Lower runs first.</summary>
    public abstract int Order { get; }

    /// <summary>Handles the text and returns true, or leaves it to the next intent and finally the knowledge base.</summary>
    public abstract Task<bool> TryHandleAsync(TurnContext turn, string text, CancellationToken ct);
}

/// <summary>Extra buttons under a knowledge answer, such as an offer to start a guided flow on the same topic.</summary>
public abstract class AnswerFollowUp
{
    public abstract IEnumerable<CardAction> For(TurnContext turn, string question);
}
