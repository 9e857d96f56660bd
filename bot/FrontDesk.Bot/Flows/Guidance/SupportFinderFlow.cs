using System.Globalization;
using FrontDesk.Bot.Conversations;
using FrontDesk.Knowledge.Rules;

namespace FrontDesk.Bot.Flows.Guidance;

/// <summary>Support programmes (移住支援金, telework and trial-stay support, renovation and travel grants) from residence and work history.</summary>
public sealed class SupportFinderFlow(RuleBookProvider rules) : GuidanceFlow(rules)
{
    public const string FlowName = "support-finder";
    const int MaxYears = 10;
    const int MaxChildren = 10;

    public override string Name => FlowName;
    public override string ProfileName => "support";
    public override LocalText Title { get; } = new("支援制度さがし", "Support programme finder");
    protected override IReadOnlyCollection<RuleTopic> Topics { get; } = [RuleTopic.Support];

    protected override LocalText? Intro { get; } = new(
        "お住まいとお仕事について、8つの質問で当てはまりそうな支援制度をご案内します。分からない質問は「わからない」で進めます。いつでも「戻る」「やめる」が使えます。",
        "Eight questions about where you live and work, to find support that may fit. Answer \"Not sure\" whenever you don't know; \"back\" and \"cancel\" work at any time.");

    protected override IReadOnlyList<FormStep> StepsFor(RuleBook book) =>
    [
        AreaStep(new("今お住まいの地域はどちらですか？", "Where do you live now?")),
        new FormStep
        {
            Key = "commute",
            Label = new("通勤先", "Commute"),
            Question = new("今の通勤先はどちらですか？", "Where do you commute to now?"),
            AllowUnknown = true,
            Choices =
            [
                new Choice("tokyo23", new("23区へ通勤", "To the 23 wards")),
                new Choice("elsewhere", new("23区以外へ通勤", "Somewhere else")),
                new Choice("none", new("通勤していない", "I don't commute")),
            ],
            Parse = Phrasebook(
                ("none", ["通勤していない", "通勤なし", "在宅", "無職", "学生", "no commute", "don't commute"]),
                ("elsewhere", ["23区以外", "23区外", "elsewhere", "somewhere else"]),
                ("tokyo23", ["23区", "都心", "区内", "23 wards"])),
        },
        new FormStep
        {
            Key = "years_tokyo_total",
            Label = new("23区に住んだ・通勤した年数（直近10年の合計）", "Years in the 23 wards (last 10, total)"),
            Question = new("直近10年のうち、23区に住んでいた、または23区へ通勤していた年数は合計で何年ですか？（0〜10）",
                "In the last ten years, how many years in total did you live in or commute to the 23 wards? (0-10)"),
            AllowUnknown = true,
            Parse = input => ReadYears(input),
        },
        new FormStep
        {
            Key = "years_tokyo_recent",
            Label = new("そのうち今まで続けて何年か", "Of which, most recent unbroken years"),
            Question = new("そのうち、今まで途切れずに続いているのは何年ですか？（0〜10）", "Of those, how many years up to now without a break? (0-10)"),
            AllowUnknown = true,
            Parse = input => ReadYears(input),
        },
        new FormStep
        {
            Key = "work_plan",
            Label = new("移住後のお仕事", "Work after the move"),
            Question = new("移住・滞在先でのお仕事はどうする予定ですか？", "What will you do for work at the destination?"),
            AllowUnknown = true,
            Choices =
            [
                new Choice("matching_job", new("移住先で就職", "Take a local job"), "就職", "転職", "求人"),
                new Choice("telework", new("テレワークで今の仕事", "Keep my job remotely"), "テレワーク", "リモート", "remote", "telework"),
                new Choice("startup", new("起業する", "Start a business"), "起業", "開業", "独立", "start-up", "startup"),
                new Choice("other", new("それ以外", "Something else"), "農業", "その他"),
            ],
        },
        DestinationStep(book, new("移住・滞在を考えている市町村はどちらですか？（一覧にない場合は市町村名を入力してください）",
            "Which town are you thinking of? (Type its name if it is not listed.)")),
        new FormStep
        {
            Key = "children",
            Label = new("18歳未満のお子さんの人数", "Children under 18"),
            Question = new("一緒に移る18歳未満のお子さんは何人ですか？（いない場合は「0」）", "How many children under 18 will move with you? (0 if none)"),
            AllowUnknown = true,
            Parse = ReadChildren,
        },
        PurposeStep(new("いちばん近い目的はどれですか？", "Which is closest to your purpose?")),
    ];

    static StepAnswer ReadYears(string input) => GuidanceAnswers.ReadCount(input, MaxYears, "年", "年間", "years", "year") switch
    {
        null => StepAnswer.Reject(new("年数は「5」や「5年」のように数字でお答えください。", "Please answer with a number of years, such as 5.")),
        > MaxYears => StepAnswer.Reject(new($"直近10年の中での年数なので、0〜{MaxYears}でお答えください。", $"This counts within the last ten years: please answer 0 to {MaxYears}.")),
        var n => StepAnswer.Accept(n.Value.ToString(CultureInfo.InvariantCulture)),
    };

    static StepAnswer ReadChildren(string input) => GuidanceAnswers.ReadCount(input, MaxChildren, "人", "名", "children", "child") switch
    {
        null => StepAnswer.Reject(new("人数は「0」「2人」のように数字でお答えください。", "Please answer with a number, such as 0 or 2.")),
        > MaxChildren => StepAnswer.Reject(new($"{MaxChildren}人まででお答えください。それより多い場合は相談員にご相談ください。", $"Please answer up to {MaxChildren}; for more, please talk to a coordinator.")),
        var n => StepAnswer.Accept(n.Value.ToString(CultureInfo.InvariantCulture)),
    };

    protected override LocalText? Contradiction(TurnContext turn, FlowFrame frame, string key, string value)
    {
        if (key is not ("years_tokyo_total" or "years_tokyo_recent") || value == UnknownValue)
            return null;
        var total = key == "years_tokyo_total" ? value : frame.Values.GetValueOrDefault("years_tokyo_total");
        var recent = key == "years_tokyo_recent" ? value : frame.Values.GetValueOrDefault("years_tokyo_recent");
        if (int.TryParse(total, CultureInfo.InvariantCulture, out var t) && int.TryParse(recent, CultureInfo.InvariantCulture, out var r) && r > t)
            return new LocalText(
                $"続けている年数（{r}年）が、合計の年数（{t}年）より長くなっています。合計以下の年数でお答えいただくか、「戻る」でもう一方の答えを直してください。",
                $"The unbroken years ({r}) are more than the total ({t}). Please give a number no larger than the total, or say \"back\" to change the other answer.");
        return null;
    }

    protected override RuleFacts FactsFrom(FlowFrame frame)
    {
        var facts = new RuleFacts();
        foreach (var key in new[] { "current_area", "commute", "work_plan", "destination", "purpose" })
            SetChoice(facts, frame, key);
        foreach (var key in new[] { "years_tokyo_total", "years_tokyo_recent", "children" })
            SetCount(facts, frame, key);
        return facts;
    }
}
