using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Handoff;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Registration;

/// <summary>
/// Furusato resident registration as a conversation: consent first, then one question per turn with friendly
/// re-asking, a summary, editing any field, and a registration number at the end. The answers live only in the
/// encrypted draft (never in the conversation state), and the frame is private, so the transcript keeps none of them.
/// </summary>
public sealed partial class RegistrationFlow(RegistrationStore store, HandoffDesk desk, IOptions<RegistrationOptions> options, ILogger<RegistrationFlow> logger) : Flow
{
    public const string FlowName = "furusato";
    public const string TranscriptPlaceholder = "（登録フォームへの入力）";

    const string ConsentStep = "consent";
    const string ResumeStep = "resume";
    const string ConfirmStep = "confirm";
    const string EditStep = "edit";
    const int AttemptsBeforeHelp = 3;

    // Buttons answer with these values; typed text is matched against the phrases.
    internal const string Agree = "_agree", Decline = "_decline", Resume = "_resume", Restart = "_restart", None = "_none",
        Skip = "_skip", Done = "_done", Suggested = "_suggested", Submit = "_submit", Edit = "_edit", Help = "_help";

    internal static readonly string[] StartWords = ["ふるさと住民登録をする", "ふるさと住民登録したい", "ふるさと住民登録を申し込む", "register"];
    static readonly string[] AgreeWords = ["同意する", "同意します", "はい", "agree", "i agree", "yes"];
    static readonly string[] DeclineWords = ["同意しない", "同意しません", "いいえ", "しない", "decline", "no", "disagree"];
    static readonly string[] NoneWords = ["なし", "ない", "ありません", "持っていない", "none", "no"];
    static readonly string[] SkipWords = ["答えない", "スキップ", "回答しない", "なし", "skip"];
    static readonly string[] DoneWords = ["完了", "選び終えた", "これで", "以上", "次へ", "done", "next"];
    static readonly string[] YesWords = ["はい", "登録する", "送信", "お願いします", "ok", "yes", "submit", "これでいい"];
    static readonly string[] EditWords = ["修正", "修正する", "変更", "変更する", "直す", "edit", "change"];
    static readonly string[] UndecidedWords = ["まだ決めていない", "未定", "決めていない", "わからない", "not decided", "undecided"];
    static readonly string[] HelpWords = ["相談員に聞く", "手伝って", "わからない", "help me"];

    public static readonly Choice[] Relations =
    [
        new("origin", new("出身", "Born or raised here"), "出身地", "地元"),
        new("lived", new("居住経験", "Lived here before"), "住んでいた", "住んだことがある"),
        new("dual_now", new("二地域居住（実践中）", "Living in two places now"), "実践中"),
        new("dual_plan", new("二地域居住（検討中）", "Considering two places"), "検討中"),
        new("nozei", new("ふるさと納税", "Furusato tax donation"), "納税", "寄附"),
        new("volunteer", new("ボランティア", "Volunteering")),
        new("sidejob", new("副業", "Side job"), "兼業"),
        new("tourism", new("観光", "Tourism"), "旅行"),
        new("other", new("その他", "Other")),
    ];

    public static readonly Choice[] Plans =
    [
        new("basic", new("ベーシック登録", "Basic"), "ベーシック", "basic"),
        new("premium", new("プレミアム登録", "Premium"), "プレミアム", "premium"),
    ];

    public static readonly Choice[] Topics =
    [
        new("support", new("移住・二地域居住の支援", "Relocation support"), "支援"),
        new("housing", new("住まい・空き家", "Housing"), "空き家", "住まい"),
        new("work", new("仕事", "Work"), "求人", "しごと"),
        new("events", new("イベント", "Events"), "催し"),
        new("children", new("子育て・教育", "Children and school"), "子育て", "教育", "学校"),
        new("products", new("特産品・ふるさと納税", "Local products"), "特産品"),
        new("volunteering", new("ボランティア募集", "Volunteering"), "ボランティア"),
    ];

    sealed record Field(string Key, LocalText Label, LocalText Question);

    static readonly Field[] Fields =
    [
        new("name", new("お名前", "Name"), new("お名前（漢字）を教えてください。例: 山田 花子", "What is your name? For example: Hanako Yamada")),
        new("kana", new("フリガナ", "Reading"), new("お名前のフリガナを、ひらがなかカタカナで教えてください。", "How is your name read? Please type it in hiragana or katakana.")),
        new("email", new("メールアドレス", "E-mail"), new("メールアドレスを教えてください。お持ちでなければ「なし」を選んでください（その場合は電話番号をお聞きします）。",
            "What is your e-mail address? If you have none, choose \"None\" (I will then ask for a phone number).")),
        new("phone", new("電話番号", "Phone"), new("電話番号を教えてください（ハイフンはあってもなくても大丈夫です）。", "What is your phone number? Hyphens are fine.")),
        new("postal", new("郵便番号", "Postal code"), new("お住まいの郵便番号（7桁）を教えてください。", "What is your postal code (7 digits)?")),
        new("address", new("住所", "Address"), new("お住まいの住所を、番地より前（都道府県・市区町村・町名）まで入力してください。", "Please type your address up to the town name (no house number needed).")),
        new("birthYear", new("生まれ年", "Year of birth"), new("生まれ年を教えてください（任意）。例: 1985、昭和60年", "What year were you born? (optional) For example: 1985")),
        new("relations", new("地域との関わり", "Ties to the region"), new("地域とはどのような関わりがありますか？当てはまるものをすべて押して、最後に「選び終えた」を押してください。",
            "How are you connected to the region? Press every option that applies, then \"Done\".")),
        new("municipalities", new("関心のある市町村", "Municipalities"), new("関心のある市町村を3つまで教えてください（例: 松本市、安曇野市）。", "Which municipalities interest you? Up to three, e.g. Matsumoto, Azumino.")),
        new("plan", new("登録区分", "Plan"), new(
            "登録区分を選んでください。\n・ベーシック登録: 特産品の購入、ふるさと納税、観光などで地域を応援する方向けです。\n・プレミアム登録: ボランティア、副業、二地域居住など、地域の担い手として活動する方向けです。",
            "Please choose a plan.\n- Basic: for people who support the region by buying local products, donating or visiting.\n- Premium: for people who take an active part, such as volunteering, side jobs or living in two places.")),
        new("topics", new("受け取りたい情報", "News topics"), new("どのような情報を受け取りたいですか？当てはまるものを押して、最後に「選び終えた」を押してください。",
            "What news would you like to receive? Press every topic that applies, then \"Done\".")),
    ];

    public override string Name => FlowName;

    /// <summary>How long the draft is kept: days on LINE (to resume later), minutes on a shared kiosk.</summary>
    TimeSpan Lifetime(TurnContext turn) => turn.Address.Channel == "kiosk"
        ? TimeSpan.FromMinutes(options.Value.KioskDraftMinutes)
        : TimeSpan.FromDays(options.Value.DraftDays);
    public override LocalText Title { get; } = new("ふるさと住民登録", "Furusato resident registration");

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
        var owner = store.OwnerIndex(turn.Address.Key);
        if (turn.Address.Channel != "kiosk" && await store.ByOwnerAsync(owner, ct) is { } existing)
        {
            turn.Say(new LocalText($"すでに登録されています（登録番号 {existing.Number}）。内容の確認・変更・削除ができます。",
                    $"You are already registered (number {existing.Number}). You can view, change or delete it."),
                RegistrationAccount.Buttons(turn));
            End(turn, frame);
            return;
        }
        if (await store.DraftAsync(owner, ct) is { SubmittedNumber: null } draft && FirstMissing(draft.Form) != Fields[0].Key)
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

    /// <summary>Starts the form from outside the router (a typed 「ふるさと住民登録をする」).</summary>
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
        var frame = new FlowFrame { Flow = FlowName, Private = true, Step = EditStep };
        turn.State.Flows.Add(frame);
        turn.PrivateInput = TranscriptPlaceholder;
        var form = record.Form;
        form.Relations = [.. Picked(form.Relations), Finished];
        form.Topics = [.. Picked(form.Topics), Finished];
        await store.SaveDraftAsync(store.OwnerIndex(turn.Address.Key), null, form, record.Id, Lifetime(turn), ct);
        AskWhichToEdit(turn);
    }

    /// <summary>「やめる」 discards the draft: cancelling means the person does not want it kept.</summary>
    public override async Task CancelledAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        turn.PrivateInput = TranscriptPlaceholder;
        if (options.Value.Enabled)
            await store.DeleteDraftAsync(store.OwnerIndex(turn.Address.Key), ct);
        if (turn.Address.Channel == "kiosk")
            turn.Send(new Activity
            {
                Text = turn.T("入力した内容は消去しました。まもなく画面が最初に戻ります。", "What you typed has been erased. The screen will reset shortly."),
                ChannelData = WipeKiosk(Math.Min(5, options.Value.KioskWipeSeconds)),
            });
    }

    /// <summary>A request for a person while the form is open: hand over with the draft's progress attached.</summary>
    public async Task HandOverAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        turn.PrivateInput = TranscriptPlaceholder;
        var draft = await store.DraftAsync(store.OwnerIndex(turn.Address.Key), ct) ?? new Draft(new RegistrationForm(), null, null, null);
        desk.Request(turn, "requested", Attachment(turn, draft, frame));
    }

    public override async Task ResumeAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        turn.Say($"「{Title.Ja}」の途中です。続きからどうぞ。", $"Let's continue with: {Title.En}.");
        await RepromptAsync(turn, frame, ct);
    }

    public override async Task ContinueAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        turn.PrivateInput = TranscriptPlaceholder;
        var input = turn.Inbound.Input;
        var typed = Phrases.Normalize(input);
        var owner = store.OwnerIndex(turn.Address.Key);

        // Asking to register again while the form is open: offer the draft rather than take the words as an answer.
        if (Phrases.Matches(typed, StartWords))
        {
            await StartAsync(turn, frame, ct);
            return;
        }
        if (frame.Step == ConsentStep)
        {
            await ConsentAsync(turn, frame, owner, input, typed, ct);
            return;
        }
        if (frame.Step == ResumeStep)
        {
            if (input == Restart || typed is "最初から" or "start over")
            {
                await store.DeleteDraftAsync(owner, ct);
                AskConsent(turn, frame);
            }
            else if (input == Resume || Phrases.Matches(typed, ["続きから", "続ける", "continue", "はい", "yes"]))
                await RepromptAsync(turn, frame, ct, findNext: true);
            else
                await StartAsync(turn, frame, ct);
            return;
        }

        var draft = await store.DraftAsync(owner, ct);
        if (draft is { SubmittedNumber: { } number })
        {
            // The turn that submitted ran again (a state conflict): answer as it did, without registering twice.
            SayFinished(turn, number, draft.EditingId is not null);
            End(turn, frame);
            return;
        }
        if (draft is null)
        {
            turn.Say("入力の途中の内容は保存期間が過ぎたため、削除されました。お手数ですが、最初からお願いします。",
                "Your unfinished form has expired and was removed. Please start again.");
            AskConsent(turn, frame);
            return;
        }

        if (input == Help || Phrases.Matches(typed, HelpWords))
        {
            desk.Request(turn, "requested", Attachment(turn, draft, frame));
            return;
        }

        switch (frame.Step)
        {
            case ConfirmStep:
                if (input == Submit || Phrases.Matches(typed, YesWords))
                {
                    draft.Form.Relations = [.. Picked(draft.Form.Relations)];
                    draft.Form.Topics = [.. Picked(draft.Form.Topics)];
                    var submitted = await store.SubmitAsync(owner, turn.Address.Channel, draft, keepOwner: turn.Address.Channel != "kiosk", Lifetime(turn), ct);
                    LogSubmitted(turn.Address.Channel, draft.Form.Plan!, draft.EditingId is not null);
                    SayFinished(turn, submitted, draft.EditingId is not null);
                    End(turn, frame);
                }
                else if (input == Edit || Phrases.Matches(typed, EditWords))
                {
                    frame.Step = EditStep;
                    AskWhichToEdit(turn);
                }
                else
                {
                    turn.Say("「登録する」で確定、「修正する」で内容を直せます。", "Choose \"Register\" to confirm or \"Edit\" to change something.");
                    Confirm(turn, draft.Form);
                }
                return;
            case EditStep:
                var target = Fields.FirstOrDefault(f => f.Key == input || Phrases.Normalize(f.Label.Ja) == typed || Phrases.Normalize(f.Label.En) == typed);
                if (target is null)
                {
                    AskWhichToEdit(turn);
                    return;
                }
                frame.Step = target.Key;
                frame.Attempts = 0;
                Ask(turn, frame, target.Key, draft.Form);
                return;
        }

        var field = Fields.FirstOrDefault(f => f.Key == frame.Step);
        if (field is null)
        {
            await RepromptAsync(turn, frame, ct, findNext: true);
            return;
        }
        var outcome = Apply(field.Key, draft.Form, input, typed, turn.Now.Year);
        if (outcome.Problem is { } problem)
        {
            frame.Attempts++;
            turn.Say(frame.Attempts >= AttemptsBeforeHelp
                ? new LocalText(problem.Ja + "\n難しい場合は「相談員に聞く」を押すか、「やめる」で中止できます。", problem.En + "\nIf this is difficult, press \"Ask a coordinator\" or send \"cancel\".")
                : problem);
            Ask(turn, frame, field.Key, draft.Form);
            return;
        }
        await store.SaveDraftAsync(owner, null, draft.Form, draft.EditingId, Lifetime(turn), ct);
        if (outcome.StayOnStep)
        {
            Ask(turn, frame, field.Key, draft.Form);
            return;
        }
        frame.Attempts = 0;
        // The next unanswered field: after an edit usually none (back to the summary), but a new postal code needs its
        // address again and an e-mail changed to "none" makes the phone number required.
        var next = FirstMissing(draft.Form);
        if (next is null)
        {
            frame.Step = ConfirmStep;
            Confirm(turn, draft.Form);
            return;
        }
        frame.Step = next;
        Ask(turn, frame, next, draft.Form);
    }

    readonly record struct Outcome(LocalText? Problem, bool StayOnStep = false);

    static Outcome Fail(RegistrationInput.Result result) => new(result.Problem);

    /// <summary>Puts one answer into the form, or says what is wrong with it.</summary>
    static Outcome Apply(string key, RegistrationForm form, string input, string typed, int year)
    {
        RegistrationInput.Result r;
        switch (key)
        {
            case "name":
                r = RegistrationInput.Name(input);
                if (r.Value is null) return Fail(r);
                form.NameKanji = r.Value;
                return new();
            case "kana":
                r = RegistrationInput.Kana(input);
                if (r.Value is null) return Fail(r);
                form.NameKana = r.Value;
                return new();
            case "email":
                if (input == None || Phrases.Matches(typed, NoneWords))
                {
                    form.Email = "";
                    form.Phone = string.IsNullOrEmpty(form.Phone) ? null : form.Phone;
                    return new();
                }
                r = RegistrationInput.Email(input);
                if (r.Value is null) return Fail(r);
                form.Email = r.Value;
                return new();
            case "phone":
                if (input == None || Phrases.Matches(typed, NoneWords))
                {
                    if (string.IsNullOrEmpty(form.Email))
                        return new(new LocalText("メールアドレスか電話番号のどちらかが必要です。電話番号を入力してください。",
                            "We need either an e-mail address or a phone number. Please type a phone number."));
                    form.Phone = "";
                    return new();
                }
                r = RegistrationInput.Phone(input);
                if (r.Value is null) return Fail(r);
                form.Phone = r.Value;
                return new();
            case "postal":
                r = RegistrationInput.PostalCode(input);
                if (r.Value is null) return Fail(r);
                form.PostalCode = r.Value;
                form.Address = null;
                return new();
            case "address":
                if ((input == Suggested || Phrases.Matches(typed, ["この住所でよい", "この住所で", "はい", "use this address", "yes"]))
                    && form.PostalCode is { } code && PostalCodes.Find(code) is { } suggested)
                {
                    form.Address = suggested;
                    return new();
                }
                r = RegistrationInput.Address(input);
                if (r.Value is null) return Fail(r);
                form.Address = r.Value;
                return new();
            case "birthYear":
                if (input == Skip || Phrases.Matches(typed, SkipWords))
                {
                    form.BirthYear = "";
                    return new();
                }
                r = RegistrationInput.BirthYear(input, year);
                if (r.Value is null) return Fail(r);
                form.BirthYear = r.Value;
                return new();
            case "relations":
                return PickSeveral(Relations, form.Relations ??= [], input, typed, allowEmpty: false, l => form.Relations = l);
            case "municipalities":
                if (input == Skip || Phrases.Matches(typed, UndecidedWords))
                {
                    form.Municipalities = [];
                    return new();
                }
                r = RegistrationInput.Municipalities(input);
                if (r.Value is null) return Fail(r);
                form.Municipalities = [.. r.Value.Split('、')];
                return new();
            case "plan":
                var plan = Plans.FirstOrDefault(p => input == p.Value || Matches(p, typed));
                if (plan is null)
                    return new(new LocalText("「ベーシック登録」か「プレミアム登録」を選んでください。", "Please choose Basic or Premium."));
                form.Plan = plan.Value;
                return new();
            case "topics":
                if (input == None || Phrases.Matches(typed, ["不要", "いらない", "なし", "none"]))
                {
                    form.Topics = [Finished];
                    return new();
                }
                return PickSeveral(Topics, form.Topics ??= [], input, typed, allowEmpty: true, l => form.Topics = l);
        }
        return new(new LocalText("もう一度お願いします。", "Please try again."));
    }

    /// <summary>
    /// A button toggles its option and keeps the question open; typed text picks every option it names and moves on.
    /// The list stays "unanswered" (a pending selection) until the person is done.
    /// </summary>
    static Outcome PickSeveral(Choice[] choices, List<string> picked, string input, string typed, bool allowEmpty, Action<List<string>> set)
    {
        if (input == Done || Phrases.Matches(typed, DoneWords))
        {
            if (picked.Count == 0 && !allowEmpty)
                return new(new LocalText("1つ以上選んでから「選び終えた」を押してください。", "Please choose at least one, then press \"Done\"."));
            set([.. picked.Where(p => !p.StartsWith('~')), Finished]);
            return new();
        }
        if (choices.FirstOrDefault(c => c.Value == input) is { } pressed)
        {
            if (!picked.Remove(pressed.Value))
                picked.Add(pressed.Value);
            return new(null, StayOnStep: true);
        }
        var named = choices.Where(c => Matches(c, typed)).Select(c => c.Value).ToList();
        if (named.Count == 0)
            return new(new LocalText("選択肢のボタンから選ぶか、「出身、観光」のように入力してください。", "Please press the options, or type them, e.g. \"tourism, other\"."));
        set([.. named, Finished]);
        return new();
    }

    static bool Matches(Choice choice, string typed) =>
        typed.Length > 0 && (typed.Contains(Phrases.Normalize(choice.Label.Ja), StringComparison.Ordinal) || typed.Contains(Phrases.Normalize(choice.Label.En), StringComparison.Ordinal)
            || choice.Aliases.Any(a => typed.Contains(Phrases.Normalize(a), StringComparison.Ordinal)));

    // Marks a multiple-choice answer as finished in the draft (an empty list can be a finished answer too).
    const string Finished = "~done";

    static bool IsDone(List<string>? list) => list is not null && list.Contains(Finished);

    static IEnumerable<string> Picked(List<string>? list) => list?.Where(v => !v.StartsWith('~')) ?? [];

    /// <summary>The first field still to be answered, or null when the form is complete.</summary>
    static string? FirstMissing(RegistrationForm f)
    {
        if (f.NameKanji is null) return "name";
        if (f.NameKana is null) return "kana";
        if (f.Email is null) return "email";
        if (f.Phone is null || f.Phone.Length == 0 && string.IsNullOrEmpty(f.Email)) return "phone";
        if (f.PostalCode is null) return "postal";
        if (f.Address is null) return "address";
        if (f.BirthYear is null) return "birthYear";
        if (!IsDone(f.Relations)) return "relations";
        if (f.Municipalities is null) return "municipalities";
        if (f.Plan is null) return "plan";
        if (!IsDone(f.Topics)) return "topics";
        return null;
    }

    async Task ConsentAsync(TurnContext turn, FlowFrame frame, byte[] owner, string input, string typed, CancellationToken ct)
    {
        var shown = PrivacyNotice.Summary(options.Value.DraftDays);
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
            turn.Say("ありがとうございます。いつでも「やめる」で中止できます。途中でやめても、続きから再開できます。",
                "Thank you. You can say \"cancel\" at any time; an unfinished form can be continued later.");
            frame.Step = Fields[0].Key;
            Ask(turn, frame, Fields[0].Key, new RegistrationForm());
        }
        else
            AskConsent(turn, frame);
    }

    void AskConsent(TurnContext turn, FlowFrame frame)
    {
        frame.Step = ConsentStep;
        var link = options.Value.PublicBaseUrl.TrimEnd('/') + PrivacyNotice.Path;
        turn.Say(PrivacyNotice.Summary(options.Value.DraftDays),
            CardAction.Command(turn.T("同意する", "I agree"), Commands.Answer, Agree),
            CardAction.Command(turn.T("同意しない", "I do not agree"), Commands.Answer, Decline),
            CardAction.Link(turn.T("詳しい説明", "Full notice"), link));
    }

    async Task RepromptAsync(TurnContext turn, FlowFrame frame, CancellationToken ct, bool findNext = false)
    {
        if (frame.Step is ConsentStep or null)
        {
            AskConsent(turn, frame);
            return;
        }
        var draft = await store.DraftAsync(store.OwnerIndex(turn.Address.Key), ct);
        if (draft is null or { SubmittedNumber: not null })
        {
            AskConsent(turn, frame);
            return;
        }
        if (findNext || frame.Step == ResumeStep)
            frame.Step = FirstMissing(draft.Form) ?? ConfirmStep;
        if (frame.Step == ConfirmStep)
            Confirm(turn, draft.Form);
        else if (frame.Step == EditStep)
            AskWhichToEdit(turn);
        else
            Ask(turn, frame, frame.Step!, draft.Form);
    }

    void Ask(TurnContext turn, FlowFrame frame, string key, RegistrationForm form)
    {
        var field = Fields.First(f => f.Key == key);
        var actions = new List<CardAction>();
        var question = field.Question;
        switch (key)
        {
            case "email":
                actions.Add(CardAction.Command(turn.T("なし", "None"), Commands.Answer, None));
                break;
            case "phone" when !string.IsNullOrEmpty(form.Email):
                actions.Add(CardAction.Command(turn.T("なし", "None"), Commands.Answer, None));
                question = new LocalText(question.Ja + "（メールアドレスがあるので、なくても大丈夫です）", question.En + " (optional, since you gave an e-mail address)");
                break;
            case "address":
                if (form.PostalCode is { } code && PostalCodes.Find(code) is { } suggestion)
                {
                    // Shown back only to the person typing it; the transcript keeps the placeholder.
                    question = new LocalText($"郵便番号から「{suggestion}」と分かりました。よろしければ「この住所でよい」を押してください。違う場合や続きがある場合は入力してください（番地は不要です）。",
                        $"From the postal code: {suggestion}. Press \"Use this address\", or type it if it differs (no house number needed).");
                    actions.Add(CardAction.Command(turn.T("この住所でよい", "Use this address"), Commands.Answer, Suggested));
                }
                else
                    question = new LocalText("郵便番号から住所を見つけられませんでした（手元の郵便番号データは一部だけです）。" + question.Ja,
                        "I could not find that postal code in my (partial) data. " + question.En);
                break;
            case "birthYear":
                actions.Add(CardAction.Command(turn.T("答えない", "Skip"), Commands.Answer, Skip));
                break;
            case "relations":
                actions.AddRange(Toggles(turn, Relations, form.Relations));
                actions.Add(CardAction.Command(turn.T("選び終えた", "Done"), Commands.Answer, Done));
                break;
            case "municipalities":
                actions.Add(CardAction.Command(turn.T("まだ決めていない", "Not decided"), Commands.Answer, Skip));
                break;
            case "plan":
                actions.AddRange(Plans.Select(p => CardAction.Command(turn.T(p.Label), Commands.Answer, p.Value)));
                break;
            case "topics":
                actions.AddRange(Toggles(turn, Topics, form.Topics));
                actions.Add(CardAction.Command(turn.T("選び終えた", "Done"), Commands.Answer, Done));
                break;
        }
        if (key is not ("relations" or "topics"))
            actions.Add(CardAction.Command(turn.T("相談員に聞く", "Ask a coordinator"), Commands.Answer, Help));
        actions.Add(BotTexts.CancelButton(turn));
        var number = Array.FindIndex(Fields, f => f.Key == key) + 1;
        var picked = key switch { "relations" => Selected(turn, Relations, form.Relations), "topics" => Selected(turn, Topics, form.Topics), _ => null };
        var text = new LocalText($"（{number}/{Fields.Length}）{question.Ja}", $"({number}/{Fields.Length}) {question.En}");
        if (picked is not null)
            text = new LocalText(text.Ja + $"\n選択中: {(picked.Ja.Length == 0 ? "なし" : picked.Ja)}", text.En + $"\nSelected: {(picked.En.Length == 0 ? "none" : picked.En)}");
        turn.SayPrivately(text, actions);
    }

    static IEnumerable<CardAction> Toggles(TurnContext turn, Choice[] choices, List<string>? picked) =>
        choices.Select(c => CardAction.Command((picked?.Contains(c.Value) == true ? "✓ " : "") + turn.T(c.Label), Commands.Answer, c.Value));

    static LocalText Selected(TurnContext turn, Choice[] choices, List<string>? picked)
    {
        var chosen = choices.Where(c => picked?.Contains(c.Value) == true).ToList();
        return new LocalText(string.Join("、", chosen.Select(c => c.Label.Ja)), string.Join(", ", chosen.Select(c => c.Label.En)));
    }

    /// <summary>The summary, one line per field, in the user's language.</summary>
    public static IReadOnlyList<(LocalText Label, LocalText Value)> Summary(RegistrationForm f)
    {
        static LocalText Same(string? s) => new(string.IsNullOrEmpty(s) ? "-" : s, string.IsNullOrEmpty(s) ? "-" : s);
        static LocalText Labels(Choice[] choices, List<string>? values)
        {
            var chosen = choices.Where(c => values?.Contains(c.Value) == true).ToList();
            return chosen.Count == 0 ? new("-", "-") : new(string.Join("、", chosen.Select(c => c.Label.Ja)), string.Join(", ", chosen.Select(c => c.Label.En)));
        }
        return
        [
            (Fields[0].Label, Same(f.NameKanji)),
            (Fields[1].Label, Same(f.NameKana)),
            (Fields[2].Label, Same(f.Email)),
            (Fields[3].Label, Same(f.Phone)),
            (Fields[4].Label, Same(f.PostalCode is { Length: 7 } p ? $"{p[..3]}-{p[3..]}" : f.PostalCode)),
            (Fields[5].Label, Same(f.Address)),
            (Fields[6].Label, string.IsNullOrEmpty(f.BirthYear) ? new("回答なし", "Not given") : Same(f.BirthYear)),
            (Fields[7].Label, Labels(Relations, f.Relations)),
            (Fields[8].Label, f.Municipalities is { Count: > 0 } m ? new(string.Join("、", m), string.Join(", ", m)) : new("未定", "Not decided")),
            (Fields[9].Label, Labels(Plans, f.Plan is null ? null : [f.Plan])),
            (Fields[10].Label, Labels(Topics, f.Topics)),
        ];
    }

    static string Lines(TurnContext turn, RegistrationForm form) =>
        string.Join('\n', Summary(form).Select(l => $"・{turn.T(l.Label)}: {turn.T(l.Value)}"));

    void Confirm(TurnContext turn, RegistrationForm form)
    {
        var lines = Lines(turn, form);
        turn.SayPrivately(new LocalText("この内容で登録してよろしいですか？\n" + lines, "Shall I register these details?\n" + lines),
            CardAction.Command(turn.T("登録する", "Register"), Commands.Answer, Submit),
            CardAction.Command(turn.T("修正する", "Edit"), Commands.Answer, Edit),
            CardAction.Command(turn.T("相談員に聞く", "Ask a coordinator"), Commands.Answer, Help),
            BotTexts.CancelButton(turn));
    }

    internal static void ShowRecord(TurnContext turn, RegistrationRecord record)
    {
        var lines = Lines(turn, record.Form);
        turn.SayPrivately(new LocalText($"登録番号 {record.Number} の内容です。\n{lines}", $"Registration {record.Number}:\n{lines}"), RegistrationAccount.Buttons(turn));
    }

    void AskWhichToEdit(TurnContext turn)
    {
        var actions = Fields.Select(f => CardAction.Command(turn.T(f.Label), Commands.Answer, f.Key)).ToList();
        actions.Add(BotTexts.CancelButton(turn));
        turn.Say(new LocalText("どの項目を直しますか？", "Which item would you like to change?"), actions);
    }

    void SayFinished(TurnContext turn, string number, bool changed)
    {
        if (changed)
            turn.Say(new LocalText($"登録内容を変更しました（登録番号 {number}）。", $"Your registration has been updated (number {number})."), BotTexts.MenuButton(turn));
        else if (turn.Address.Channel == "kiosk")
            turn.Send(new Activity
            {
                Text = turn.T($"ご登録ありがとうございました。登録番号は {number} です。\nこの画面の内容は{options.Value.KioskWipeSeconds}秒後に消去されます。登録内容の確認・変更・削除は、窓口またはLINEでお申し出ください。",
                    $"Thank you for registering. Your registration number is {number}.\nThis screen will be cleared in {options.Value.KioskWipeSeconds} seconds. To view, change or delete your registration, ask at the desk or on LINE."),
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
    HandoffAttachment Attachment(TurnContext turn, Draft draft, FlowFrame frame)
    {
        var form = draft.Form;
        var current = Fields.FirstOrDefault(f => f.Key == frame.Step)?.Label.Ja ?? (frame.Step == ConfirmStep ? "確認画面" : frame.Step ?? "-");
        var filled = Summary(form).Where(l => l.Value.Ja is not ("-" or "未定" or "回答なし")).Select(l => l.Label.Ja);
        return new HandoffAttachment("registration-draft", "ふるさと住民登録の入力中",
        [
            new("いまの質問", current),
            new("入力済みの項目", string.Join("、", filled) is { Length: > 0 } s ? s : "なし"),
            new("登録区分", form.Plan is null ? "未選択" : Plans.First(p => p.Value == form.Plan).Label.Ja),
            new("下書き", "登録担当（管理者）がコンソールの「ふるさと住民登録」で確認できます"),
        ], options.Value.PublicBaseUrl.TrimEnd('/') + "/console/registrations/draft?conversation=" + Uri.EscapeDataString(turn.Address.Key));
    }

    // Only the channel, the plan and what happened: never a value from the form.
    [LoggerMessage(Level = LogLevel.Information, Message = "Furusato registration consent on channel {Channel}: accepted {Accepted}")]
    partial void LogConsent(string channel, bool accepted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Furusato registration submitted on channel {Channel}, plan {Plan}, change of an existing one {Changed}")]
    partial void LogSubmitted(string channel, string plan, bool changed);
}
