using System.Globalization;
using FrontDesk.Bot.Conversations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Handoff;

/// <summary>
/// Hands conversations to coordinators and steps aside while a person owns them: the user's messages then only
/// reach the transcript (which the console shows) and the bot stays silent. Console actions arrive as events
/// through the engine, so they are ordered with the user's messages and guarded by the state's version.
/// </summary>
public sealed partial class HandoffMiddleware(HandoffRules rules, OfficeHours hours, IOptions<HandoffOptions> options, IOptions<OfficeHoursOptions> office,
    ILogger<HandoffMiddleware> logger) : ITurnMiddleware
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
            // The coordinator reads it in the console; the bot does not answer over a person.
            if (handoff.Status == HandoffStatus.Waiting && (handoff.LastNoticeAt is null || turn.Now - handoff.LastNoticeAt >= TimeSpan.FromMinutes(options.Value.WaitingNoticeMinutes)))
            {
                handoff.LastNoticeAt = turn.Now;
                turn.Say("メッセージは相談員に届いています。もう少しお待ちください。", "Your message has reached our coordinators. Please wait a little longer.", BackToBotButton(turn));
            }
            return;
        }

        if (rules.IsRequest(inbound))
        {
            Request(turn, inbound.Kind == ActivityKind.Command && inbound.Value == "kiosk" ? "kiosk" : "requested");
            return;
        }
        if (rules.ReasonFor(turn) is { } reason)
        {
            Request(turn, reason);
            return;
        }

        await next(turn, ct);

        if (turn.State.Handoff is null && rules.DeclinedTooOften(turn.State))
            Request(turn, "declined", afterAnswer: true);
    }

    void Request(TurnContext turn, string reason, bool afterAnswer = false)
    {
        turn.State.Handoff = new HandoffState { Status = HandoffStatus.Waiting, Reason = reason, RequestedAt = turn.Now, LastNoticeAt = turn.Now };
        LogRequested(turn.Address.Channel, reason);
        var lead = afterAnswer
            ? new LocalText("うまくお答えできず申し訳ありません。相談員におつなぎします。", "Sorry I could not help. I am passing you to a coordinator.")
            : reason switch
            {
                "emergency" => new LocalText("緊急の場合は、110番（警察）・119番（消防・救急）にご連絡ください。あわせて相談員にもお伝えします。",
                    "In an emergency, call 110 (police) or 119 (fire and ambulance). I am also letting a coordinator know."),
                "frustrated" => new LocalText("お役に立てず申し訳ありません。相談員におつなぎします。", "I am sorry I have not been helpful. Let me pass you to a coordinator."),
                "requested" or "kiosk" => new LocalText("相談員におつなぎします。", "I am passing you to a coordinator."),
                _ => new LocalText("このご相談は、相談員が直接お受けします。", "A coordinator will take this question personally."),
            };

        LocalText when;
        if (hours.IsOpen(turn.Now))
        {
            var minutes = options.Value.ExpectedWaitMinutes;
            when = new LocalText($"ただいまの待ち時間の目安は{minutes}分ほどです。このままお待ちください。", $"The expected wait is about {minutes} minutes. Please stay here.");
        }
        else
        {
            var next = hours.NextOpening(turn.Now);
            var ja = next.ToString("M月d日（ddd）H:mm", CultureInfo.GetCultureInfo("ja-JP"));
            var en = next.ToString("ddd d MMM, H:mm", CultureInfo.InvariantCulture);
            when = new LocalText($"ただいま受付時間外です（受付: {Hours("ja")}）。{ja}以降に相談員が確認し、こちらでお返事します。",
                $"We are closed now (hours: {Hours("en")}). A coordinator will read this and reply here from {en}.");
        }
        turn.Say(new LocalText($"{lead.Ja}\n{when.Ja}\n「ボットに戻る」でいつでもボットのご案内に戻れます。", $"{lead.En}\n{when.En}\nSay \"back to bot\" at any time to return to the bot."),
            BackToBotButton(turn));
    }

    string Hours(string language)
    {
        var o = office.Value;
        var days = language == "en" ? "weekdays" : "平日";
        return $"{days} {o.Opens:H\\:mm}〜{o.Closes:H\\:mm}";
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

    static CardAction BackToBotButton(TurnContext turn) => CardAction.Command(turn.T("ボットに戻る", "Back to the bot"), Commands.BackToBot);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff requested on channel {Channel}: {Reason}")]
    partial void LogRequested(string channel, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console event {Event} ignored in handoff state {State}")]
    partial void LogIgnored(string @event, string state);
}
