using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Handoff;

namespace FrontDesk.Bot.Flows.Guidance;

/// <summary>「相談員に相談する」 under a guided answer: hands the conversation over with the answers and the result attached.</summary>
public sealed class GuidanceHandoff(HandoffDesk desk) : Interruption
{
    public const string CommandName = "guide-handoff";

    public override string Command => CommandName;
    public override IReadOnlyList<string> Triggers { get; } = [];

    public override Task RunAsync(TurnContext turn, CancellationToken ct)
    {
        var guide = turn.Inbound.Value is "school" or "support" ? turn.Inbound.Value : "support";
        var prefix = $"guide.{guide}.";
        var facts = new List<CardFact>();
        foreach (var (key, value) in turn.State.Profile.Where(p => p.Key.StartsWith(prefix + "answer.", StringComparison.Ordinal)))
            facts.Add(new CardFact(key[(prefix.Length + "answer.".Length)..], value));
        if (turn.State.Profile.GetValueOrDefault(prefix + "likely") is { Length: > 0 } likely)
            facts.Add(new CardFact("当てはまりそう", likely));
        if (turn.State.Profile.GetValueOrDefault(prefix + "possible") is { Length: > 0 } possible)
            facts.Add(new CardFact("確認が必要", possible));
        var title = guide == "school" ? "学校・保育の案内の回答" : "支援制度さがしの回答";
        desk.Request(turn, "requested", facts.Count == 0 ? null : new HandoffAttachment("guidance", title, facts));
        return Task.CompletedTask;
    }
}
