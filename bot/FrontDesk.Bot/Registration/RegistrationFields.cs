using FrontDesk.Bot.Conversations;
using FrontDesk.Knowledge.Listings;

namespace FrontDesk.Bot.Registration;

/// <summary>
/// The registration form's questions, how each answer is read and checked, how the answers map to a
/// <see cref="RegistrationForm"/> (what the encrypted draft and the registration hold), and the summary.
/// </summary>
public sealed class RegistrationFields(PlaceGazetteer places)
{
    /// <summary>The button under the address question that takes the address found from the postal code.</summary>
    public const string Suggested = "_suggested";

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

    static readonly Choice NoContact = new("", new("なし", "None"), "ない", "ありません", "持っていない", "none", "no");
    static readonly string[] SuggestedWords = ["この住所でよい", "この住所で", "はい", "use this address", "yes"];

    static readonly LocalText NameLabel = new("お名前", "Name"), KanaLabel = new("フリガナ", "Reading"), EmailLabel = new("メールアドレス", "E-mail"),
        PhoneLabel = new("電話番号", "Phone"), PostalLabel = new("郵便番号", "Postal code"), AddressLabel = new("住所", "Address"),
        BirthYearLabel = new("生まれ年", "Year of birth"), RelationsLabel = new("地域との関わり", "Ties to the region"),
        MunicipalitiesLabel = new("関心のある市町村", "Municipalities"), PlanLabel = new("登録区分", "Plan"), TopicsLabel = new("受け取りたい情報", "News topics");

    public IReadOnlyList<FormStep> Steps => steps ??=
    [
        new FormStep
        {
            Key = "name", Label = NameLabel,
            Question = new("お名前（漢字）を教えてください。例: 山田 花子", "What is your name? For example: Hanako Yamada"),
            Parse = t => From(RegistrationInput.Name(t)),
        },
        new FormStep
        {
            Key = "kana", Label = KanaLabel,
            Question = new("お名前のフリガナを、ひらがなかカタカナで教えてください。", "How is your name read? Please type it in hiragana or katakana."),
            Parse = t => From(RegistrationInput.Kana(t)),
        },
        new FormStep
        {
            Key = "email", Label = EmailLabel,
            Question = new("メールアドレスを教えてください。お持ちでなければ「なし」を選んでください（その場合は電話番号をお聞きします）。",
                "What is your e-mail address? If you have none, choose \"None\" (I will then ask for a phone number)."),
            Skip = _ => NoContact,
            Parse = t => From(RegistrationInput.Email(t)),
        },
        new FormStep
        {
            Key = "phone", Label = PhoneLabel,
            Question = PhoneQuestion,
            QuestionFor = a => HasEmail(a)
                ? new(PhoneQuestion.Ja + "（メールアドレスがあるので、なくても大丈夫です）", PhoneQuestion.En + " (optional, since you gave an e-mail address)")
                : PhoneQuestion,
            // Optional only while there is an e-mail address: without one, a skipped phone number is asked again.
            Skip = a => HasEmail(a) ? NoContact : null,
            Parse = t => Phrases.Matches(Phrases.Normalize(t), NoContact.Aliases.Append(NoContact.Label.Ja).ToList())
                ? StepAnswer.Reject(new("メールアドレスか電話番号のどちらかが必要です。電話番号を入力してください。", "We need either an e-mail address or a phone number. Please type a phone number."))
                : From(RegistrationInput.Phone(t)),
        },
        new FormStep
        {
            Key = "postal", Label = PostalLabel,
            Question = new("お住まいの郵便番号（7桁）を教えてください。", "What is your postal code (7 digits)?"),
            // A new postal code asks for its address again.
            Parse = t => RegistrationInput.PostalCode(t) is { Value: { } code } ? StepAnswer.Accept(code, "address") : From(RegistrationInput.PostalCode(t)),
        },
        new FormStep
        {
            Key = "address", Label = AddressLabel,
            Question = AddressQuestion,
            QuestionFor = a => SuggestedAddress(a) is { } suggestion
                ? new($"郵便番号から「{suggestion}」と分かりました。よろしければ「この住所でよい」を押してください。違う場合や続きがある場合は入力してください（番地は不要です）。",
                    $"From the postal code: {suggestion}. Press \"Use this address\", or type it if it differs (no house number needed).")
                : new("郵便番号から住所を見つけられませんでした（手元の郵便番号データは一部だけです）。" + AddressQuestion.Ja,
                    "I could not find that postal code in my (partial) data. " + AddressQuestion.En),
            Buttons = (turn, a) => SuggestedAddress(a) is null ? [] : [CardAction.Command(turn.T("この住所でよい", "Use this address"), Commands.Answer, Suggested)],
            ParseWith = i => SuggestedAddress(i.Answers) is { } suggestion && (i.Text == Suggested || Phrases.Matches(Phrases.Normalize(i.Text), SuggestedWords))
                ? StepAnswer.Accept(suggestion)
                : From(RegistrationInput.Address(i.Text)),
        },
        new FormStep
        {
            Key = "birthYear", Label = BirthYearLabel,
            Question = new("生まれ年を教えてください（任意）。例: 1985、昭和60年", "What year were you born? (optional) For example: 1985"),
            Skip = _ => new Choice("", new("答えない", "Skip"), "スキップ", "回答しない", "なし", "skip"),
            ParseWith = i => From(RegistrationInput.BirthYear(i.Text, i.Now.Year)),
        },
        new FormStep
        {
            Key = "relations", Label = RelationsLabel, Multiple = true, Choices = Relations,
            Question = new("地域とはどのような関わりがありますか？当てはまるものをすべて押して、最後に「選び終えた」を押してください。",
                "How are you connected to the region? Press every option that applies, then \"Done\"."),
        },
        new FormStep
        {
            Key = "municipalities", Label = MunicipalitiesLabel,
            Question = new("関心のある市町村を3つまで教えてください（例: 松本市、安曇野市）。", "Which municipalities interest you? Up to three, e.g. Matsumoto, Azumino."),
            // 「わからない」 here means undecided; a call for help is 「相談員に聞く」.
            Skip = _ => new Choice("", new("まだ決めていない", "Not decided"), "未定", "決めていない", "わからない", "分からない", "not decided", "undecided"),
            Parse = t => RegistrationInput.Municipalities(t, places),
        },
        new FormStep
        {
            Key = "plan", Label = PlanLabel, Choices = Plans,
            Question = new(
                "登録区分を選んでください。\n・ベーシック登録: 特産品の購入、ふるさと納税、観光などで地域を応援する方向けです。\n・プレミアム登録: ボランティア、副業、二地域居住など、地域の担い手として活動する方向けです。",
                "Please choose a plan.\n- Basic: for people who support the region by buying local products, donating or visiting.\n- Premium: for people who take an active part, such as volunteering, side jobs or living in two places."),
            Parse = _ => StepAnswer.Reject(new("「ベーシック登録」か「プレミアム登録」を選んでください。", "Please choose Basic or Premium.")),
        },
        new FormStep
        {
            Key = "topics", Label = TopicsLabel, Multiple = true, Choices = Topics,
            Question = new("どのような情報を受け取りたいですか？当てはまるものを押して、最後に「選び終えた」を押してください。",
                "What news would you like to receive? Press every topic that applies, then \"Done\"."),
            Skip = _ => new Choice("", new("不要", "None"), "いらない", "なし", "none"),
        },
    ];

    IReadOnlyList<FormStep>? steps;

    static readonly LocalText PhoneQuestion = new("電話番号を教えてください（ハイフンはあってもなくても大丈夫です）。", "What is your phone number? Hyphens are fine.");
    static readonly LocalText AddressQuestion = new("お住まいの住所を、番地より前（都道府県・市区町村・町名）まで入力してください。", "Please type your address up to the town name (no house number needed).");

    static bool HasEmail(IReadOnlyDictionary<string, string> a) => a.GetValueOrDefault("email") is { Length: > 0 };

    static string? SuggestedAddress(IReadOnlyDictionary<string, string> a) => a.GetValueOrDefault("postal") is { } code ? PostalCodes.Find(code) : null;

    static StepAnswer From(RegistrationInput.Result r) => r.Value is { } value ? StepAnswer.Accept(value) : StepAnswer.Reject(r.Problem!);

    // Several-choice answers in the stored form: the values, then this marker once the person pressed 「選び終えた」
    // (an empty list can be a finished answer); without it, the selection is still being made.
    const string Finished = "~done";
    const string Picking = "+";

    /// <summary>The answers as the form flow reads them; <paramref name="registered"/> for a registration's form, whose lists are all finished.</summary>
    public static Dictionary<string, string> Answers(RegistrationForm f, bool registered = false)
    {
        var a = new Dictionary<string, string>();
        void Put(string key, string? value)
        {
            if (value is not null)
                a[key] = value;
        }
        void PutList(string key, List<string>? values)
        {
            if (values is null)
                return;
            a[registered || values.Contains(Finished) ? key : key + Picking] = string.Join(',', values.Where(v => v != Finished));
        }
        Put("name", f.NameKanji);
        Put("kana", f.NameKana);
        Put("email", f.Email);
        Put("phone", f.Phone);
        Put("postal", f.PostalCode);
        Put("address", f.Address);
        Put("birthYear", f.BirthYear);
        PutList("relations", f.Relations);
        if (f.Municipalities is { } m)
            a["municipalities"] = string.Join('、', m);
        Put("plan", f.Plan);
        PutList("topics", f.Topics);
        return a;
    }

    /// <summary>The stored form for the answers; <paramref name="finished"/> drops the several-choice markers for the registration itself.</summary>
    public static RegistrationForm Form(IReadOnlyDictionary<string, string> a, bool finished = false)
    {
        List<string>? List(string key)
        {
            if (a.GetValueOrDefault(key) is { } done)
                return [.. Split(done, ','), .. finished ? Array.Empty<string>() : [Finished]];
            return a.GetValueOrDefault(key + Picking) is { } picking && !finished ? [.. Split(picking, ',')] : null;
        }
        return new RegistrationForm
        {
            NameKanji = a.GetValueOrDefault("name"),
            NameKana = a.GetValueOrDefault("kana"),
            Email = a.GetValueOrDefault("email"),
            Phone = a.GetValueOrDefault("phone"),
            PostalCode = a.GetValueOrDefault("postal"),
            Address = a.GetValueOrDefault("address"),
            BirthYear = a.GetValueOrDefault("birthYear"),
            Relations = List("relations"),
            Municipalities = a.GetValueOrDefault("municipalities") is { } m ? [.. Split(m, '、')] : null,
            Plan = a.GetValueOrDefault("plan"),
            Topics = List("topics"),
        };
    }

    static string[] Split(string s, char separator) => s.Split(separator, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The summary, one line per field, in both languages (chat, console, the draft a coordinator opens).</summary>
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
            (NameLabel, Same(f.NameKanji)),
            (KanaLabel, Same(f.NameKana)),
            (EmailLabel, Same(f.Email)),
            (PhoneLabel, Same(f.Phone)),
            (PostalLabel, Same(f.PostalCode is { Length: 7 } p ? $"{p[..3]}-{p[3..]}" : f.PostalCode)),
            (AddressLabel, Same(f.Address)),
            (BirthYearLabel, string.IsNullOrEmpty(f.BirthYear) ? new("回答なし", "Not given") : Same(f.BirthYear)),
            (RelationsLabel, Labels(Relations, f.Relations)),
            (MunicipalitiesLabel, f.Municipalities is { Count: > 0 } m ? new(string.Join("、", m), string.Join(", ", m)) : new("未定", "Not decided")),
            (PlanLabel, Labels(Plans, f.Plan is null ? null : [f.Plan])),
            (TopicsLabel, Labels(Topics, f.Topics)),
        ];
    }

    public static string SummaryText(TurnContext turn, RegistrationForm form) =>
        string.Join('\n', Summary(form).Select(l => $"・{turn.T(l.Label)}: {turn.T(l.Value)}"));
}
