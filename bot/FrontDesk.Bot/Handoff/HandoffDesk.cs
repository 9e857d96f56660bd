using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Registration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Handoff;

/// <summary>Starts a handoff. The middleware calls it for requests and rules; a flow calls it to hand over with context attached.</summary>
public sealed partial class HandoffDesk(OfficeHours hours, FieldCipher cipher, IOptions<HandoffOptions> options, ILogger<HandoffDesk> logger)
{
    /// <summary>Puts the conversation in the coordinators' queue and tells the user what happens next.</summary>
    public void Request(TurnContext turn, string reason, HandoffAttachment? attachment = null, bool afterAnswer = false)
    {
        turn.State.Handoff = new HandoffState
        {
            Status = HandoffStatus.Waiting, Reason = reason, RequestedAt = turn.Now,
            Attachments = attachment is null ? [] : [attachment],
        };
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

        var open = hours.IsOpen(turn.Now);
        var when = ExpectedReply(turn.Now, turn.Address.IsSharedDevice);
        // A callback is offered only where its contact can be stored sealed.
        var offerCallback = !open && cipher.Enabled;
        var callback = !offerCallback ? new LocalText("", "") : new LocalText("\nお電話やメールでの折り返しをご希望でしたら「折り返しを依頼する」を押してください。",
            "\nIf you would like us to call or e-mail you back, press \"Request a callback\".");
        turn.Say(new LocalText($"{lead.Ja}\n{when.Ja}{callback.Ja}\n「ボットに戻る」でいつでもボットのご案内に戻れます。", $"{lead.En}\n{when.En}{callback.En}\nSay \"back to bot\" at any time to return to the bot."),
            offerCallback ? [CallbackRequests.OfferButton(turn), HandoffMiddleware.BackToBotButton(turn)] : [HandoffMiddleware.BackToBotButton(turn)]);
    }

    /// <summary>A callback is offered only where its contact can be stored sealed.</summary>
    public bool CanTakeCallbacks => cipher.Enabled;

    /// <summary>When a person will answer: the expected wait in office hours, the next opening out of them.</summary>
    public LocalText ExpectedReply(DateTimeOffset now, bool sharedDevice = false)
    {
        if (hours.IsOpen(now))
        {
            var minutes = options.Value.ExpectedWaitMinutes;
            return new LocalText($"ただいまの待ち時間の目安は{minutes}分ほどです。このままお待ちください。", $"The expected wait is about {minutes} minutes. Please stay here.");
        }
        var (hoursText, next) = (hours.Describe(), hours.DescribeNextOpening(now));
        // A kiosk screen is wiped when the visitor leaves: no reply is promised there.
        if (sharedDevice)
            return new LocalText($"ただいま受付時間外です。受付時間は{hoursText.Ja}です。この画面では相談員からお返事できません。画面の「LINEで続ける」でLINEに移り、「相談員と話したい」と送っていただければ、{next.Ja}以降に相談員がLINEでお返事します。",
                $"We are closed now; our hours are {hoursText.En}. A coordinator cannot reply on this screen: use \"Continue on LINE\" on the screen, send \"talk to a person\" there, and a coordinator will reply on LINE from {next.En}.");
        return new LocalText($"ただいま受付時間外です。受付時間は{hoursText.Ja}です。{next.Ja}以降に相談員が確認し、こちらでお返事します。",
            $"We are closed now; our hours are {hoursText.En}. A coordinator will read this and reply here from {next.En}.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff requested on channel {Channel}: {Reason}")]
    partial void LogRequested(string channel, string reason);
}
