using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Questions;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Registration;

/// <summary>
/// 「登録内容を確認」「変更」「削除」 for a registered LINE user, who is recognised by their LINE user id (through its blind
/// index). Deleting asks once more, then removes the personal data and leaves only an anonymous count.
/// </summary>
public sealed class RegistrationAccount(RegistrationStore store, RegistrationFlow flow, IOptions<RegistrationOptions> options) : TextIntent
{
    static readonly string[] ViewWords = ["登録内容を確認", "登録内容の確認", "登録内容", "登録を確認", "登録の確認", "my registration"];
    static readonly string[] ChangeWords = ["変更", "登録内容を変更", "登録内容の変更", "登録を変更", "change my registration"];
    static readonly string[] DeleteWords = ["削除", "登録を削除", "登録内容を削除", "登録の削除", "delete my registration"];
    const string ConfirmDelete = "削除を確定する";

    public override int Order => 20;

    public static IReadOnlyList<CardAction> Buttons(TurnContext turn) =>
    [
        CardAction.Say(turn.T("登録内容を確認", "View"), "登録内容を確認"),
        CardAction.Say(turn.T("変更", "Change"), "変更"),
        CardAction.Say(turn.T("削除", "Delete"), "削除"),
        BotTexts.MenuButton(turn),
    ];

    public override async Task<bool> TryHandleAsync(TurnContext turn, string text, CancellationToken ct)
    {
        var typed = Phrases.Normalize(text);
        if (Phrases.Matches(typed, RegistrationFlow.StartWords))
        {
            await flow.BeginAsync(turn, ct);
            return true;
        }
        var action = typed == Phrases.Normalize(ConfirmDelete) ? "delete!"
            : Phrases.Matches(typed, ViewWords) ? "view"
            : Phrases.Matches(typed, ChangeWords) ? "change"
            : Phrases.Matches(typed, DeleteWords) ? "delete"
            : null;
        if (action is null)
            return false;
        if (!options.Value.Enabled)
        {
            turn.Say("申し訳ありません。ただいま登録の確認・変更・削除を受け付けていません。窓口の相談員にお尋ねください。",
                "Sorry, registrations cannot be viewed, changed or deleted right now. Please ask a coordinator.", BotTexts.MenuButton(turn));
            return true;
        }
        if (turn.Address.IsSharedDevice)
        {
            turn.Say("キオスクでは登録内容の確認・変更・削除はできません。LINEで登録した方はLINEから、キオスクで登録した方は窓口の職員に登録番号をお伝えください。",
                "Registrations cannot be viewed, changed or deleted at the kiosk. If you registered on LINE, use LINE; if you registered at the kiosk, give your number to our staff.",
                BotTexts.MenuButton(turn));
            return true;
        }
        var record = await store.ByOwnerAsync(store.OwnerIndex(turn.Address.Key), ct);
        if (record is null)
        {
            turn.Say("このLINEアカウントでのふるさと住民登録は見つかりませんでした。",
                "I found no furusato registration for this LINE account.",
                CardAction.Command(turn.T("登録する", "Register"), Commands.StartFlow, RegistrationFlow.FlowName), BotTexts.MenuButton(turn));
            return true;
        }
        turn.PrivateInput = RegistrationFlow.TranscriptPlaceholder;
        switch (action)
        {
            case "view":
                RegistrationFlow.ShowRecord(turn, record);
                break;
            case "change":
                await flow.StartChangeAsync(turn, record, ct);
                break;
            case "delete":
                turn.Say(new LocalText($"登録番号 {record.Number} を削除します。お名前や連絡先などの個人情報はすべて消去され、元に戻せません。よろしいですか？",
                        $"This deletes registration {record.Number}: your name, contact details and everything else are erased for good. Are you sure?"),
                    CardAction.Say(turn.T("削除を確定する", "Delete for good"), ConfirmDelete), BotTexts.CancelButton(turn));
                break;
            default:
                await store.DeleteAsync(record.Id, byStaff: false, ct);
                turn.Say("登録を削除しました。個人情報は消去され、登録件数の統計にだけ匿名で残ります。ご利用ありがとうございました。",
                    "Your registration has been deleted. Your personal data is erased; only an anonymous count remains. Thank you.", BotTexts.MenuButton(turn));
                break;
        }
        return true;
    }
}

/// <summary>Someone asking for a person while the form is open is handed over with the form's progress attached. Runs before the handoff middleware.</summary>
public sealed class RegistrationHandoffMiddleware(FrontDesk.Bot.Handoff.HandoffRules rules, RegistrationFlow flow) : ITurnMiddleware
{
    public Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct) =>
        turn.State is { Handoff: null, ActiveFlow: { Flow: RegistrationFlow.FlowName } frame } && rules.IsRequest(turn.Inbound)
            ? flow.HandOverAsync(turn, frame, ct)
            : next(turn, ct);
}
