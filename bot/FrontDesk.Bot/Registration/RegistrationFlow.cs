using Microsoft.Extensions.DependencyInjection;
using FrontDesk.Bot.Flows.Questions;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Handoff;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Registration;

/// <summary>
/// Furusato resident registration as a form (<see cref="RegistrationFields"/>): consent first, or the offer to resume a
/// draft; then the questions, the summary and a registration number. The answers live only in the encrypted draft
/// (never in the conversation state), and the form is private, so the transcript keeps none of them.
/// </summary>
public sealed partial class RegistrationFlow(RegistrationStore store, RegistrationFields fields, HandoffDesk desk, IOptions<RegistrationOptions> options, ILogger<RegistrationFlow> logger,
    IServiceProvider services) : FormFlow
{
    public const string FlowName = "furusato";
    public const string TranscriptPlaceholder = "（登録フォームへの入力）";

    const string ConsentStep = "consent";
    const string ResumeStep = "resume";
    // Set while an existing registration is being changed: its id.
    const string ChangingMarker = "_changing";

    static long? Changing(FlowFrame frame) => frame.Values.TryGetValue(ChangingMarker, out var id) ? long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) : null;

    // Buttons answer with these values; typed text is matched against the phrases.
    internal const string Agree = "_agree", Decline = "_decline", Resume = "_resume", Restart = "_restart",
        Suggested = RegistrationFields.Suggested, Skip = SkipValue, Done = DoneValue, Submit = SubmitValue;

    internal static readonly string[] StartWords =
    [
        "ふるさと住民登録をする", "ふるさと住民登録する", "ふるさと住民登録をしたい", "ふるさと住民登録したい", "ふるさと住民登録を申し込む",
        "ふるさと住民登録を申し込みたい", "ふるさと住民登録に申し込みたい", "ふるさと住民登録をお願いします", "ふるさと住民登録お願いします",
        "ふるさと住民登録を希望します", "register", "i want to register",
    ];
    static readonly string[] AgreeWords = ["同意する", "同意します", "はい", "agree", "i agree", "yes"];
    static readonly string[] DeclineWords = ["同意しない", "同意しません", "いいえ", "しない", "decline", "no", "disagree"];
    static readonly string[] ResumeWords = ["続きから", "続ける", "continue", "はい", "yes"];

    public override string Name => FlowName;
    public override LocalText Title { get; } = new("ふるさと住民登録", "Furusato resident registration");

    protected override IReadOnlyList<FormStep> Steps => fields.Steps;
    protected override bool IsPrivate => true;
    protected override string PrivateInput => TranscriptPlaceholder;
    protected override bool OffersHelp => true;
    protected override LocalText ConfirmQuestion => new("この内容で登録してよろしいですか？", "Shall I register these details?");
    protected override LocalText SubmitLabel => new("登録する", "Register");

    /// <summary>How long the draft is kept: days where the person can come back, minutes on a shared screen.</summary>
    TimeSpan Lifetime(TurnContext turn) => turn.Address.IsSharedDevice
        ? TimeSpan.FromMinutes(options.Value.KioskDraftMinutes)
        : TimeSpan.FromDays(options.Value.DraftDays);

    byte[] Owner(TurnContext turn) => store.OwnerIndex(turn.Address.Key);

    public override async Task StartAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        frame.Private = true;
        turn.PrivateInput = TranscriptPlaceholder;
        // Answers such as a romanised name or an e-mail address must not switch the conversation to English.
        turn.State.Language ??= turn.Language;
        if (!options.Value.Enabled)
        {
            turn.Say("申し訳ありません。ただいま登録を受け付けていません。窓口の相談員にお尋ねください。",
                "Sorry, registration is not available right now. Please ask a coordinator.", BotTexts.MenuButton(turn));
            End(turn, frame);
            return;
        }
        var owner = Owner(turn);
        if (!turn.Address.IsSharedDevice && await store.ByOwnerAsync(owner, ct) is { } existing)
        {
            turn.Say(new LocalText($"すでに登録されています（登録番号 {existing.Number}）。内容の確認・変更・削除ができます。",
                    $"You are already registered (number {existing.Number}). You can view, change or delete it."),
                RegistrationAccount.Buttons(turn));
            End(turn, frame);
            return;
        }
        if (await store.DraftAsync(owner, ct) is { SubmittedNumber: null, EditingId: null } draft && RegistrationFields.Answers(draft.Form).Count > 0)
        {
            frame.Step = ResumeStep;
            turn.Say("前回の入力の途中から再開できます。どうしますか？", "You have an unfinished registration. Would you like to continue it?",
                CardAction.Command(turn.T("続きから", "Continue"), Commands.Answer, Resume),
                CardAction.Command(turn.T("最初から", "Start over"), Commands.Answer, Restart),
                BotTexts.CancelButton(turn));
            return;
        }
        AskConsent(turn, frame);
    }

    /// <summary>Starts the form from outside the router (a typed 「ふるさと住民登録をしたい」).</summary>
    public Task BeginAsync(TurnContext turn, CancellationToken ct)
    {
        turn.State.Flows.RemoveAll(f => f.Flow == FlowName);
        var frame = new FlowFrame { Flow = FlowName };
        turn.State.Flows.Add(frame);
        return StartAsync(turn, frame, ct);
    }

    /// <summary>Starts changing an existing registration: its fields go into a draft and the user picks what to change.</summary>
    public async Task StartChangeAsync(TurnContext turn, RegistrationRecord record, CancellationToken ct)
    {
        turn.State.Flows.RemoveAll(f => f.Flow == FlowName);
        var frame = new FlowFrame { Flow = FlowName };
        frame.Values[ChangingMarker] = record.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        turn.State.Flows.Add(frame);
        turn.PrivateInput = TranscriptPlaceholder;
        var answers = RegistrationFields.Answers(record.Form, registered: true);
        await store.SaveDraftAsync(Owner(turn), null, RegistrationFields.Form(answers), record.Id, Lifetime(turn), ct);
        StartEditing(turn, frame, answers);
    }

    /// <summary>
    /// 「やめる」 discards the draft: cancelling means the person does not want it kept. During a change the registration
    /// itself stays as it was, and the person is told so.
    /// </summary>
    public override async Task<LocalText?> CancelledAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        turn.PrivateInput = TranscriptPlaceholder;
        if (options.Value.Enabled)
            await store.DeleteDraftAsync(Owner(turn), ct);
        if (Changing(frame) is { } id && await store.ByIdAsync(id, ct) is { } record)
            return new LocalText($"変更を取りやめました。登録（登録番号 {record.Number}）は変更前の内容のまま残っています。",
                $"The change was cancelled. Your registration ({record.Number}) stays as it was.");
        if (turn.Address.IsSharedDevice)
        {
            turn.Send(new Activity
            {
                Text = turn.T("入力した内容は消去しました。まもなく画面が最初に戻ります。", "What you typed has been erased. The screen will reset shortly."),
                ChannelData = WipeKiosk(Math.Min(5, options.Value.KioskWipeSeconds)),
            });
            return null;
        }
        return frame.Step is ConsentStep or null
            ? null
            : new LocalText($"「{Title.Ja}」を中止しました。入力した内容は消去しました。", $"Cancelled: {Title.En}. What you typed has been erased.");
    }

    /// <summary>A request for a person while the form is open: hand over with the draft's progress attached.</summary>
    public async Task HandOverAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        turn.PrivateInput = TranscriptPlaceholder;
        var draft = await store.DraftAsync(Owner(turn), ct);
        desk.Request(turn, "requested", Attachment(turn, RegistrationFields.Answers(draft?.Form ?? new RegistrationForm()), frame));
    }

    protected override Task HelpAsync(TurnContext turn, FlowFrame frame, IReadOnlyDictionary<string, string> answers, CancellationToken ct)
    {
        desk.Request(turn, "requested", Attachment(turn, answers, frame));
        return Task.CompletedTask;
    }

    public override async Task ResumeAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        if (frame.Step is ConsentStep or ResumeStep or null)
        {
            turn.Say($"「{Title.Ja}」の途中です。続きからどうぞ。", $"Let's continue with: {Title.En}.");
            await StartAsync(turn, frame, ct);
            return;
        }
        await base.ResumeAsync(turn, frame, ct);
    }

    public override async Task ContinueAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        turn.PrivateInput = TranscriptPlaceholder;
        var input = turn.Inbound.Input;
        var typed = Phrases.Normalize(input);

        // Asking to register again while the form is open: offer the draft rather than take the words as an answer.
        if (Phrases.Matches(typed, StartWords) && !frame.Values.ContainsKey(ChangingMarker))
        {
            await StartAsync(turn, frame, ct);
            return;
        }
        if (frame.Step == ConsentStep)
        {
            await ConsentAsync(turn, frame, input, typed, ct);
            return;
        }
        if (frame.Step == ResumeStep)
        {
            if (input == Restart || typed is "最初から" or "start over")
            {
                await store.DeleteDraftAsync(Owner(turn), ct);
                AskConsent(turn, frame);
            }
            else if (input == Resume || Phrases.Matches(typed, ResumeWords))
            {
                if (await LoadAnswersAsync(turn, frame, ct) is { } answers)
                    GoToFirstUnanswered(turn, frame, answers);
            }
            else
                await StartAsync(turn, frame, ct);
            return;
        }
        await base.ContinueAsync(turn, frame, ct);
    }

    protected override async Task<Dictionary<string, string>?> LoadAnswersAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        var draft = await store.DraftAsync(Owner(turn), ct);
        if (draft is { SubmittedNumber: { } number })
        {
            // The turn that submitted ran again (a state conflict): answer as it did, without registering twice.
            SayFinished(turn, number, draft.EditingId is not null);
            End(turn, frame);
            return null;
        }
        if (draft is null)
        {
            if (frame.Values.Remove(ChangingMarker))
            {
                turn.Say("変更の途中の内容は保存期間が過ぎたため、削除されました。登録は変更前の内容のまま残っています。もう一度「変更」と送ってください。",
                    "Your unfinished change has expired and was removed; your registration stays as it was. Please send \"変更\" again.",
                    BotTexts.MenuButton(turn));
                End(turn, frame);
                return null;
            }
            turn.Say("入力の途中の内容は保存期間が過ぎたため、削除されました。お手数ですが、最初からお願いします。",
                "Your unfinished form has expired and was removed. Please start again.");
            AskConsent(turn, frame);
            return null;
        }
        return RegistrationFields.Answers(draft.Form);
    }

    protected override async Task SaveAnswersAsync(TurnContext turn, FlowFrame frame, Dictionary<string, string> answers, CancellationToken ct)
    {
        await store.SaveDraftAsync(Owner(turn), null, RegistrationFields.Form(answers), Changing(frame), Lifetime(turn), ct);
    }

    protected override IEnumerable<(LocalText Label, LocalText Value)> SummaryLines(IReadOnlyDictionary<string, string> answers) =>
        RegistrationFields.Summary(RegistrationFields.Form(answers));

    protected override async Task CompleteAsync(TurnContext turn, FlowFrame frame, IReadOnlyDictionary<string, string> answers, CancellationToken ct)
    {
        var owner = Owner(turn);
        var draft = await store.DraftAsync(owner, ct);
        var form = RegistrationFields.Form(answers, finished: true);
        var changing = Changing(frame);
        var submitted = await store.SubmitAsync(owner, turn.Address.Channel, new Draft(form, draft?.ConsentId, null, changing),
            keepOwner: !turn.Address.IsSharedDevice, Lifetime(turn), ct);
        LogSubmitted(turn.Address.Channel, form.Plan!, changing is not null);
        SayFinished(turn, submitted, changing is not null);
    }

    async Task ConsentAsync(TurnContext turn, FlowFrame frame, string input, string typed, CancellationToken ct)
    {
        var owner = Owner(turn);
        var shown = Notice(turn);
        if (input == Decline || Phrases.Matches(typed, DeclineWords))
        {
            await store.RecordConsentAsync(owner, turn.Address.Channel, PrivacyNotice.Version, PrivacyNotice.Sha256(shown), accepted: false, ct);
            LogConsent(turn.Address.Channel, false);
            turn.Say("承知しました。個人情報はお預かりしていません。ほかにご質問があれば、いつでもどうぞ。",
                "Understood. No personal data has been taken. Feel free to ask anything else.", BotTexts.MenuButton(turn));
            End(turn, frame);
        }
        else if (input == Agree || Phrases.Matches(typed, AgreeWords))
        {
            var consent = await store.RecordConsentAsync(owner, turn.Address.Channel, PrivacyNotice.Version, PrivacyNotice.Sha256(shown), accepted: true, ct);
            LogConsent(turn.Address.Channel, true);
            await store.SaveDraftAsync(owner, consent, new RegistrationForm(), null, Lifetime(turn), ct);
            turn.Say(turn.Address.IsSharedDevice
                ? new LocalText($"ありがとうございます。「戻る」で前の質問に戻れます。「やめる」で中止すると、入力した内容はすぐに消去されます。入力の途中の内容はこの画面でだけ続けられ、{options.Value.KioskDraftMinutes}分で消去されます（LINEからは再開できません）。",
                    $"Thank you. Say \"back\" for the previous question. \"Cancel\" stops and erases what you typed at once. An unfinished form can only be continued on this screen and is erased after {options.Value.KioskDraftMinutes} minutes (it cannot be resumed on LINE).")
                : new LocalText($"ありがとうございます。「戻る」で前の質問に戻れます。「やめる」で中止すると、入力した内容は消去されます。メニューなどで中断した場合は、{options.Value.DraftDays}日以内なら続きから再開できます。",
                    $"Thank you. Say \"back\" for the previous question. \"Cancel\" stops and erases what you typed. If you leave the form for the menu or anything else, you can continue it within {options.Value.DraftDays} days."));
            await AskFirstAsync(turn, frame, [], ct);
        }
        // 「プレミアム登録って何が違うの？」 before consenting: nothing personal has been typed yet, so the sources answer it
        // and the form waits for the decision.
        else if (Phrases.IsQuestion(input) && services.GetRequiredService<FreeTextHandler>().TryAnswer(turn, input))
            turn.Say(new LocalText("登録を続ける場合は「同意する」を、やめる場合は「同意しない」を押してください。",
                    "To go on with the registration press \"I agree\"; to stop, \"I do not agree\"."),
                CardAction.Command(turn.T("同意する", "I agree"), Commands.Answer, Agree),
                CardAction.Command(turn.T("同意しない", "I do not agree"), Commands.Answer, Decline));
        else
            AskConsent(turn, frame);
    }

    LocalText Notice(TurnContext turn) => PrivacyNotice.Summary(options.Value, turn.Address.IsSharedDevice);

    void AskConsent(TurnContext turn, FlowFrame frame)
    {
        frame.Step = ConsentStep;
        var link = options.Value.PublicBaseUrl.TrimEnd('/') + PrivacyNotice.Path;
        turn.Say(Notice(turn),
            CardAction.Command(turn.T("同意する", "I agree"), Commands.Answer, Agree),
            CardAction.Command(turn.T("同意しない", "I do not agree"), Commands.Answer, Decline),
            CardAction.Link(turn.T("詳しい説明", "Full notice"), link));
    }

    internal static void ShowRecord(TurnContext turn, RegistrationRecord record)
    {
        var lines = RegistrationFields.SummaryText(turn, record.Form);
        turn.SayPrivately(new LocalText($"登録番号 {record.Number} の内容です。\n{lines}", $"Registration {record.Number}:\n{lines}"), RegistrationAccount.Buttons(turn));
    }

    void SayFinished(TurnContext turn, string number, bool changed)
    {
        if (changed)
            turn.Say(new LocalText($"登録内容を変更しました（登録番号 {number}）。", $"Your registration has been updated (number {number})."), BotTexts.MenuButton(turn));
        else if (turn.Address.IsSharedDevice)
            turn.Send(new Activity
            {
                Text = turn.T($"ご登録ありがとうございました。登録番号は {number} です。\nこの画面の内容は{options.Value.KioskWipeSeconds}秒後に消去されます。キオスクでの登録はLINEからは確認できません。登録内容の確認・削除は、窓口の職員に登録番号をお伝えください。",
                    $"Thank you for registering. Your registration number is {number}.\nThis screen will be cleared in {options.Value.KioskWipeSeconds} seconds. A kiosk registration cannot be reached from LINE: to view or delete it, give the number to our staff at the desk."),
                ChannelData = WipeKiosk(options.Value.KioskWipeSeconds),
            });
        else
            turn.Say(new LocalText(
                    $"ご登録ありがとうございました。登録番号は {number} です。\n「登録内容を確認」「変更」「削除」と送ると、いつでも確認・変更・削除ができます。",
                    $"Thank you for registering. Your registration number is {number}.\nSend \"登録内容を確認\", \"変更\" or \"削除\" at any time to view, change or delete it."),
                BotTexts.MenuButton(turn));
    }

    static Dictionary<string, string> WipeKiosk(int seconds) =>
        new() { [FrontDesk.Bot.Kiosk.DirectLineMapper.ResetAfterSeconds] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>What a coordinator needs to help with the form: where the person is and what is already filled in, not the answers.</summary>
    HandoffAttachment Attachment(TurnContext turn, IReadOnlyDictionary<string, string> answers, FlowFrame frame)
    {
        var form = RegistrationFields.Form(answers);
        var current = Steps.FirstOrDefault(s => s.Key == frame.Step)?.Label.Ja ?? (frame.Step == ConsentStep ? "同意の確認" : "確認画面");
        var filled = RegistrationFields.Summary(form).Where(l => l.Value.Ja is not ("-" or "未定" or "回答なし")).Select(l => l.Label.Ja);
        return new HandoffAttachment("registration-draft", "ふるさと住民登録の入力中",
        [
            new("いまの質問", current),
            new("入力済みの項目", string.Join("、", filled) is { Length: > 0 } s ? s : "なし"),
            new("登録区分", form.Plan is null ? "未選択" : RegistrationFields.Plans.First(p => p.Value == form.Plan).Label.Ja),
            new("下書き", "登録担当（管理者）がコンソールの「ふるさと住民登録」で確認できます"),
        ], options.Value.PublicBaseUrl.TrimEnd('/') + "/console/registrations/draft?conversation=" + Uri.EscapeDataString(turn.Address.Key));
    }

    // Only the channel, the plan and what happened: never a value from the form.
    [LoggerMessage(Level = LogLevel.Information, Message = "Furusato registration consent on channel {Channel}: accepted {Accepted}")]
    partial void LogConsent(string channel, bool accepted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Furusato registration submitted on channel {Channel}, plan {Plan}, change of an existing one {Changed}")]
    partial void LogSubmitted(string channel, string plan, bool changed);
}
