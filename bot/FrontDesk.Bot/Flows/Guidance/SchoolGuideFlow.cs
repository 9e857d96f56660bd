using FrontDesk.Bot.Conversations;
using FrontDesk.Knowledge.Rules;

namespace FrontDesk.Bot.Flows.Guidance;

/// <summary>School and childcare while living in two places: 区域外就学, 指定学校変更, 体験入学, デュアルスクール, 保育園留学, 一時預かり.</summary>
public sealed class SchoolGuideFlow(RuleBookProvider rules) : GuidanceFlow(rules)
{
    public const string FlowName = "school-guide";

    public override string Name => FlowName;
    public override string ProfileName => "school";
    public override LocalText Title { get; } = new("学校・保育の案内", "School and childcare guide");
    protected override IReadOnlyCollection<RuleTopic> Topics { get; } = [RuleTopic.School, RuleTopic.Childcare];

    protected override LocalText? Intro { get; } = new(
        "お子さんの学校や保育について、7つの質問でご案内します。分からない質問は「わからない」で進めます。いつでも「戻る」「やめる」が使えます。",
        "Seven questions about your child's school or childcare. Answer \"Not sure\" whenever you don't know; \"back\" and \"cancel\" work at any time.");

    static readonly Dictionary<string, (double Min, double Max)> StayWeeks = new()
    {
        ["w1"] = (0, 1), ["w4"] = (1, 4), ["m3"] = (4, 13), ["long"] = (13, 104),
    };

    protected override IReadOnlyList<FormStep> StepsFor(RuleBook book) =>
    [
        new FormStep
        {
            Key = "child",
            Label = new("お子さんの学年・年齢", "Child's grade or age"),
            Question = new("お子さんの学年か年齢を教えてください（例:「小3」「中1」「5歳」）。", "What is your child's grade or age (e.g. \"grade 3\", \"5 years old\")?"),
            AllowUnknown = true,
            Parse = GuidanceAnswers.ReadChild,
        },
        AreaStep(new("今お住まいの地域はどちらですか？", "Where do you live now?")),
        DestinationStep(book, new("通わせたい・滞在したい市町村はどちらですか？（一覧にない場合は市町村名を入力してください）",
            "Which town would your child go to school or nursery in? (Type its name if it is not listed.)")),
        new FormStep
        {
            Key = "stay",
            Label = new("滞在の長さ", "Length of stay"),
            Question = new("1回の滞在はどのくらいの長さですか？", "How long is one stay?"),
            AllowUnknown = true,
            Choices =
            [
                new Choice("w1", new("1週間以内", "Up to a week")),
                new Choice("w4", new("1〜4週間", "1 to 4 weeks"), "2週間", "3週間", "数週間"),
                new Choice("m3", new("1〜3か月", "1 to 3 months"), "1か月", "2か月", "3か月", "数か月"),
                new Choice("long", new("3か月より長い", "Longer than 3 months"), "半年", "1年", "長期"),
            ],
        },
        new FormStep
        {
            Key = "rhythm",
            Label = new("滞在のしかた", "Rhythm"),
            Question = new("滞在は1回だけですか、それとも何度も行き来しますか？", "Is it one stay, or will you go back and forth?"),
            AllowUnknown = true,
            Choices =
            [
                new Choice("once", new("1回だけ", "Just once"), "一回", "once"),
                new Choice("repeated", new("何度も行き来する", "Back and forth"), "行き来", "何度も", "定期的", "repeat"),
            ],
        },
        new FormStep
        {
            Key = "keep_registration",
            Label = new("住民票", "Resident registration"),
            Question = new("住民票はどうする予定ですか？", "What will you do with your resident registration (住民票)?"),
            AllowUnknown = true,
            Choices =
            [
                new Choice("yes", new("今の住所のまま", "Keep it where it is"), "移さない", "そのまま", "keep"),
                new Choice("no", new("移住先に移す", "Move it to the destination"), "移す", "転入", "move it"),
            ],
        },
        PurposeStep(new("滞在の目的に近いものはどれですか？", "Which is closest to your purpose?")),
    ];

    protected override LocalText? Contradiction(TurnContext turn, FlowFrame frame, string key, string value)
    {
        var purpose = key == "purpose" ? value : frame.Values.GetValueOrDefault("purpose");
        var keep = key == "keep_registration" ? value : frame.Values.GetValueOrDefault("keep_registration");
        if (purpose == "relocation" && keep == "yes" && key is "purpose" or "keep_registration")
            return new LocalText(
                "「移住」と「住民票は今の住所のまま」の両方が選ばれています。生活の拠点を移す移住では、住民票も移すのが原則です。" +
                "二地域居住やお試しのつもりでしたら、そちらをお選びください（もう一方の答えを変えるには「戻る」）。",
                "You chose both \"moving for good\" and \"keep the registration\". Moving for good normally means moving your registration too. " +
                "If you mean living in two places or a trial stay, please choose that (say \"back\" to change the other answer).");
        return null;
    }

    protected override RuleFacts FactsFrom(FlowFrame frame)
    {
        var facts = new RuleFacts();
        if (frame.Values.GetValueOrDefault("child") is { } child && GuidanceAnswers.SchoolYears(child) is { } years)
            facts.Set("school_year", years.Min, years.Max);
        if (frame.Values.GetValueOrDefault("stay") is { } stay && StayWeeks.TryGetValue(stay, out var weeks))
            facts.Set("stay_weeks", weeks.Min, weeks.Max);
        foreach (var key in new[] { "current_area", "destination", "rhythm", "keep_registration", "purpose" })
            SetChoice(facts, frame, key);
        return facts;
    }
}
