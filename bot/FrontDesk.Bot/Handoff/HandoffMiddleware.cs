using FrontDesk.Bot.Conversations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Handoff;

/// <summary>
/// Hands conversations to coordinators and steps aside while a person owns them: the user's messages then only
/// reach the transcript (which the console shows) and the bot stays silent. Console actions arrive as events
/// through the engine, so they are ordered with the user's messages and guarded by the state's version.
/// </summary>
public sealed partial class HandoffMiddleware(HandoffRules rules, HandoffDesk desk, OfficeHours hours, CallbackRequests callbacks,
    IOptions<HandoffOptions> options, ILogger<HandoffMiddleware> logger) : ITurnMiddleware
{
    public async Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct)
    {
        var inbound = turn.Inbound;
        if (inbound.Kind == ActivityKind.Event && inbound.Name?.StartsWith("handoff.", StringComparison.Ordinal) == true)
        {
            OnConsoleEvent(turn);
            return;
        }

        if (turn.State.Handoff is { } handoff)
        {
            if (rules.IsBackToBot(inbound))
            {
                turn.State.Handoff = null;
                turn.State.ConsecutiveDeclines = 0;
                turn.Say("ボットでのご案内に戻りました。ご質問をどうぞ。", "You are back with the bot. Ask me anything.", BotTexts.MenuButton(turn));
                return;
            }
            // Out of hours, a waiting user may leave a callback request instead of waiting for a reply here.
            if (handoff.Status == HandoffStatus.Waiting && (handoff.Callback is not null || !hours.IsOpen(turn.Now))
                && await callbacks.HandleAsync(turn, handoff, ct))
                return;
            // The coordinator reads it in the console; the bot does not answer over a person, but it never goes
            // silent: the first message after the handoff and then one per WaitingNoticeMinutes get an answer.
            if (handoff.Status == HandoffStatus.Waiting && (handoff.LastNoticeAt is null || turn.Now - handoff.LastNoticeAt >= TimeSpan.FromMinutes(options.Value.WaitingNoticeMinutes)))
            {
                handoff.LastNoticeAt = turn.Now;
                AcknowledgeWaiting(turn);
            }
            return;
        }

        if (rules.IsRequest(inbound))
        {
            desk.Request(turn, inbound.Kind == ActivityKind.Command && inbound.Value == "kiosk" ? "kiosk" : "requested");
            return;
        }
        if (rules.ReasonFor(turn) is { } reason)
        {
            desk.Request(turn, reason);
            return;
        }

        await next(turn, ct);

        if (turn.State.Handoff is null && rules.DeclinedTooOften(turn.State))
        {
            if (hours.IsOpen(turn.Now))
            {
                desk.Request(turn, "declined", afterAnswer: true);
                return;
            }
            // Out of hours nobody could take it now: the bot keeps answering and says how to reach a person.
            turn.State.ConsecutiveDeclines = 0;
            var opening = hours.DescribeNextOpening(turn.Now);
            turn.Say(new LocalText(
                    $"ただいま受付時間外のため、相談員からのお返事は{opening.Ja}以降になります。「相談員と話す」からご用件を残していただけます。ほかのご質問には、引き続きボットがお答えします。",
                    $"We are closed now, so a coordinator can reply from {opening.En}. Use \"Talk to a coordinator\" to leave your question for them; I keep answering other questions."),
                CardAction.Command(turn.T("相談員と話す", "Talk to a coordinator"), Commands.Contact), BotTexts.MenuButton(turn));
        }
    }

    void AcknowledgeWaiting(TurnContext turn)
    {
        var when = desk.ExpectedReply(turn.Now, turn.Address.IsSharedDevice);
        var offerCallback = !hours.IsOpen(turn.Now) && desk.CanTakeCallbacks;
        turn.Say(new LocalText($"メッセージは相談員に届いています。{when.Ja}", $"Your message has reached our coordinators. {when.En}"),
            offerCallback ? [CallbackRequests.OfferButton(turn), BackToBotButton(turn)] : [BackToBotButton(turn)]);
    }

    void OnConsoleEvent(TurnContext turn)
    {
        var e = turn.Inbound;
        var handoff = turn.State.Handoff;
        var coordinator = e.Value;
        switch (e.Name)
        {
            case HandoffEvents.Claim when handoff is { Status: HandoffStatus.Waiting } && coordinator is not null:
                handoff.Status = HandoffStatus.Active;
                handoff.Callback = null; // a person is here now; an unfinished request is moot
                handoff.Coordinator = coordinator;
                handoff.ClaimedAt = turn.Now;
                turn.Say("相談員がつながりました。ご用件をお聞かせください。", "A coordinator has joined. How can we help?");
                break;
            case HandoffEvents.Message when handoff is { Status: HandoffStatus.Active } && handoff.Coordinator == coordinator && !string.IsNullOrWhiteSpace(e.Text):
                turn.Send(new Activity { Text = e.Text, ChannelData = new Dictionary<string, string> { ["from"] = "coordinator" } });
                break;
            case HandoffEvents.Transfer when handoff is { Status: HandoffStatus.Active } && coordinator is not null:
                handoff.Coordinator = coordinator;
                break;
            case HandoffEvents.Release when handoff is { Status: HandoffStatus.Active } && handoff.Coordinator == coordinator:
                handoff.Status = HandoffStatus.Waiting;
                handoff.Coordinator = null;
                handoff.ClaimedAt = null;
                break;
            case HandoffEvents.Remind when handoff is { Status: HandoffStatus.Waiting, RemindedAt: null }:
                handoff.RemindedAt = turn.Now;
                handoff.LastNoticeAt = turn.Now;
                turn.Say(hours.IsOpen(turn.Now)
                        ? new LocalText("お待たせしており申し訳ありません。相談員が順番にご対応しています。もうしばらくお待ちください。",
                            "We are sorry for the wait. Our coordinators are answering in turn; please bear with us a little longer.")
                        : new LocalText("受付時間外のため、お返事は次の受付時間になります。ご用件はこのまま残してください。",
                            "We are closed now, so the reply will come in our next office hours. Please leave your message here."),
                    BackToBotButton(turn));
                break;
            case HandoffEvents.VisitorLeft:
                // The handoff ends with the visitor; the console shows the event's text and takes no reply.
                turn.State.Handoff = null;
                turn.State.ConsecutiveDeclines = 0;
                break;
            case HandoffEvents.Close when handoff is not null:
                turn.State.Handoff = null;
                turn.State.ConsecutiveDeclines = 0;
                turn.State.RecentQuestions.Clear();
                turn.Say("相談員との会話を終了しました。ここからはボットがご案内します。ご質問があれば、いつでもどうぞ。",
                    "The coordinator has closed the conversation. The bot is back; ask me anything.", BotTexts.MenuButton(turn));
                break;
            default:
                LogIgnored(e.Name ?? "", handoff?.Status.ToString() ?? "none");
                break;
        }
    }

    internal static CardAction BackToBotButton(TurnContext turn) => CardAction.Command(turn.T("ボットに戻る", "Back to the bot"), Commands.BackToBot);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console event {Event} ignored in handoff state {State}")]
    partial void LogIgnored(string @event, string state);
}
