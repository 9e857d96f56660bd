using System.Text;
using FrontDesk.Bot.Conversations;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Handoff;

/// <summary>When the bot should step aside: an explicit request, a topic for a person, or signs of frustration.</summary>
public sealed class HandoffRules(IOptions<HandoffOptions> options, IntentCatalog intents)
{
    static readonly string[] BackToBotPhrases = ["ボットに戻る", "ボットに戻して", "bot", "back to bot", "back to the bot"];

    /// <summary>The contact button, or a person asked for in the user's own words (the [person] phrases of intents.txt).</summary>
    public bool IsRequest(Activity inbound) =>
        inbound.Kind == ActivityKind.Command ? inbound.Name == Commands.Contact : intents.Match(inbound.Text) == Intent.Person;

    public bool IsBackToBot(Activity inbound) =>
        inbound.Kind == ActivityKind.Command ? inbound.Name == Commands.BackToBot : Phrases.Matches(Phrases.Normalize(inbound.Text), BackToBotPhrases);

    /// <summary>The reason to hand this message to a person at once, or null. Also remembers the question for repeat detection.</summary>
    public string? ReasonFor(TurnContext turn)
    {
        if (turn.Inbound.Kind != ActivityKind.Message || string.IsNullOrWhiteSpace(turn.Inbound.Text))
            return null;
        var text = turn.Inbound.Text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        foreach (var (reason, phrases) in options.Value.Topics)
            if (phrases.Any(p => text.Contains(p.Normalize(NormalizationForm.FormKC).ToLowerInvariant(), StringComparison.Ordinal)))
                return reason;
        if (options.Value.FrustrationPhrases.Any(p => text.Contains(p, StringComparison.Ordinal)))
            return "frustrated";

        // Answers to a form repeat naturally (「わからない」 to several questions) and may be private (names, e-mail
        // addresses): only free questions count as repeats, and only they are kept in the state.
        if (turn.State.ActiveFlow is not null)
            return null;
        var question = Phrases.Normalize(text);
        var recent = turn.State.RecentQuestions;
        recent.Add(question);
        if (recent.Count > options.Value.RepeatsBeforeHandoff)
            recent.RemoveAt(0);
        return recent.Count == options.Value.RepeatsBeforeHandoff && recent.All(q => q == question) ? "frustrated" : null;
    }

    public bool DeclinedTooOften(ConversationState state) => state.ConsecutiveDeclines >= options.Value.DeclinesBeforeHandoff;
}
