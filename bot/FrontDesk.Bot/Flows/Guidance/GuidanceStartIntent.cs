using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Questions;

namespace FrontDesk.Bot.Flows.Guidance;

/// <summary>
/// A typed button label (「支援制度をさがす」) starts that guide, as pressing it would. Questions, even on the same topics,
/// still go to the knowledge base, whose answer offers the guide.
/// </summary>
public sealed class GuidanceStartIntent(SchoolGuideFlow school, SupportFinderFlow support) : TextIntent
{
    static readonly string[] SchoolTriggers = Normalized("学校・保育の案内を始める", "学校・保育の案内", "学校の案内を始める", "start the school guide", "school guide");
    static readonly string[] SupportTriggers = Normalized("支援制度をさがす", "支援制度をさがし", "支援制度を探す", "支援制度を探し", "支援制度さがし", "find support", "support finder");

    public override int Order => 10;

    public override async Task<bool> TryHandleAsync(TurnContext turn, string text, CancellationToken ct)
    {
        var typed = Phrases.Normalize(text);
        GuidanceFlow? flow = Phrases.Matches(typed, SchoolTriggers) ? school : Phrases.Matches(typed, SupportTriggers) ? support : null;
        if (flow is null)
            return false;
        var frame = new FlowFrame { Flow = flow.Name };
        turn.State.Flows.Add(frame);
        await flow.StartAsync(turn, frame, ct);
        return true;
    }

    static string[] Normalized(params string[] phrases) => phrases.Select(Phrases.Normalize).ToArray();
}
