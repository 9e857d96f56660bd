using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Menu;
using FrontDesk.Bot.Flows.Questions;

namespace FrontDesk.Bot.Flows;

/// <summary>Decides who handles a turn: cancel, an interruption, a flow start, the active flow, or the fallback for free questions.</summary>
public sealed class TurnRouter(FlowCatalog flows, IEnumerable<Interruption> interruptions, FreeTextHandler freeText, Greeting greeting, MainMenu menu,
    IntentCatalog intents, SmallTalk.SmallTalkIntent smallTalk)
{
    readonly IReadOnlyList<Interruption> interruptions = interruptions.ToList();

    public async Task RouteAsync(TurnContext turn, CancellationToken ct)
    {
        var inbound = turn.Inbound;
        if (inbound.Kind == ActivityKind.Event)
        {
            if (inbound.Name is "follow" or "conversation.start")
                await greeting.GreetAsync(turn, ct);
            return;
        }

        var command = inbound.Kind == ActivityKind.Command ? inbound.Name : null;
        var typed = command is null ? Phrases.Normalize(inbound.Text) : "";

        var intent = command is null ? intents.Match(inbound.Text) : null;
        if (command == Commands.Cancel || intent == Intent.Cancel)
        {
            await CancelAsync(turn, ct);
            return;
        }

        var interruption = interruptions.FirstOrDefault(i => command == i.Command || Phrases.Matches(typed, i.Triggers));
        if (interruption is not null)
        {
            await interruption.RunAsync(turn, ct);
            await ResumeActiveAsync(turn, ct);
            return;
        }

        if (command == Commands.StartFlow)
        {
            await StartAsync(turn, inbound.Value, ct);
            return;
        }

        if (turn.State.ActiveFlow is { } frame)
        {
            if (flows.Find(frame.Flow) is { } flow)
            {
                // 「何時まで開いてますか？」「ありがとう」 in the middle of a search are not its answers: they get their
                // own reply and the flow offers to go on.
                if (intent is not null && flow.GivesWayTo(intent.Value) && await smallTalk.TryHandleAsync(turn, inbound.Text ?? "", ct))
                {
                    await flow.ResumeAsync(turn, frame, ct);
                    return;
                }
                await flow.ContinueAsync(turn, frame, ct);
                await ResumeIfExposedAsync(turn, frame, ct);
                return;
            }
            // A flow removed by an upgrade: forget it rather than trap the user.
            turn.State.Flows.Remove(frame);
        }

        if (command is not null)
        {
            // A button from an old message or a newer client: show what is available now.
            menu.Show(turn);
            return;
        }
        await freeText.HandleAsync(turn, ct);
    }

    public async Task StartAsync(TurnContext turn, string? name, CancellationToken ct)
    {
        var flow = flows.Find(name);
        if (flow is null)
        {
            menu.Show(turn);
            return;
        }
        // Starting the same flow again restarts it instead of stacking a copy.
        turn.State.Flows.RemoveAll(f => f.Flow == flow.Name);
        var frame = new FlowFrame { Flow = flow.Name };
        turn.State.Flows.Add(frame);
        await flow.StartAsync(turn, frame, ct);
        await ResumeIfExposedAsync(turn, frame, ct);
    }

    async Task CancelAsync(TurnContext turn, CancellationToken ct)
    {
        if (turn.State.ActiveFlow is not { } frame)
        {
            turn.Say(BotTexts.NothingToCancel, BotTexts.MenuButton(turn));
            return;
        }
        turn.State.Flows.Remove(frame);
        var flow = flows.Find(frame.Flow);
        var said = flow is null ? null : await flow.CancelledAsync(turn, frame, ct);
        var title = flow?.Title;
        turn.Say(said ?? (title is null ? BotTexts.Cancelled : new LocalText($"「{title.Ja}」を中止しました。", $"Cancelled: {title.En}.")),
            turn.State.ActiveFlow is null ? [BotTexts.MenuButton(turn)] : []);
        await ResumeActiveAsync(turn, ct);
    }

    /// <summary>When a flow has just ended and one it interrupted is underneath, that one picks up again.</summary>
    async Task ResumeIfExposedAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        if (!turn.State.Flows.Contains(frame))
            await ResumeActiveAsync(turn, ct);
    }

    async Task ResumeActiveAsync(TurnContext turn, CancellationToken ct)
    {
        if (turn.State.ActiveFlow is { } active && flows.Find(active.Flow) is { } flow)
            await flow.ResumeAsync(turn, active, ct);
    }
}
