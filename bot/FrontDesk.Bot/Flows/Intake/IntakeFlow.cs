using System.Globalization;
using System.Text;
using FrontDesk.Bot.Conversations;

namespace FrontDesk.Bot.Flows.Intake;

/// <summary>
/// A short questionnaire before a consultation (interest, household, timing, area). The answers stay in the
/// conversation's profile so a coordinator does not have to ask them again.
/// </summary>
public sealed class IntakeFlow : FormFlow
{
    public const string FlowName = "intake";
    const int MaxHousehold = 20;
    const int MaxAreaLength = 100;

    public override string Name => FlowName;
    public override LocalText Title { get; } = new("相談前の簡単な質問", "A few questions before your consultation");

    protected override LocalText? Intro { get; } = new(
        "ご相談の前に、4つだけ質問させてください。いつでも「戻る」「やめる」が使えます。",
        "Before your consultation, let me ask four quick questions. You can say \"back\" or \"cancel\" at any time.");

    protected override IReadOnlyList<FormStep> Steps { get; } =
    [
        new FormStep
        {
            Key = "interest",
            Label = new("ご関心", "Interest"),
            Question = new("どのような暮らし方にご関心がありますか？", "What kind of move are you considering?"),
            Choices =
            [
                new Choice("relocation", new("移住", "Moving here"), "移住したい", "引っ越し", "move"),
                new Choice("dual", new("二地域居住", "Living in two places"), "二拠点", "二地域", "デュアル", "two places", "dual"),
                new Choice("undecided", new("まだ決めていない", "Not decided yet"), "検討中", "未定", "undecided"),
            ],
        },
        new FormStep
        {
            Key = "household",
            Label = new("世帯の人数", "Household size"),
            Question = new("ご一緒に暮らす予定の人数（ご本人を含む）を数字で教えてください。", "How many people would move, including you? Please answer with a number."),
            Parse = ParseHousehold,
        },
        new FormStep
        {
            Key = "timing",
            Label = new("希望の時期", "Timing"),
            Question = new("いつごろをお考えですか？", "When are you thinking of moving?"),
            Choices =
            [
                new Choice("within6m", new("半年以内", "Within 6 months")),
                new Choice("within1y", new("1年以内", "Within a year")),
                new Choice("later", new("2〜3年後", "In 2-3 years"), "2年後", "3年後", "数年後"),
            ],
            AllowUnknown = true,
        },
        new FormStep
        {
            Key = "area",
            Label = new("気になる地域", "Area of interest"),
            Question = new("気になっている市町村や地域があれば教えてください。", "Is there a town or area you are interested in?"),
            AllowUnknown = true,
            Parse = ParseArea,
        },
    ];

    protected override Task CompleteAsync(TurnContext turn, FlowFrame frame, IReadOnlyDictionary<string, string> answers, CancellationToken ct)
    {
        foreach (var step in Steps)
            turn.State.Profile["intake." + step.Key] = answers.GetValueOrDefault(step.Key) ?? UnknownValue;
        turn.State.Profile["intake.completedAt"] = turn.Now.ToString("O", CultureInfo.InvariantCulture);
        turn.Say(
            "ありがとうございました。いただいた内容は相談員に引き継ぎます。ご質問があれば、そのまま入力してください。",
            "Thank you. A coordinator will see your answers. Feel free to ask any question now.",
            BotTexts.MenuButton(turn));
        return Task.CompletedTask;
    }

    internal static StepAnswer ParseHousehold(string input)
    {
        var number = ReadSmallNumber(input);
        return number switch
        {
            null => StepAnswer.Reject(new("人数は「3」や「3人」のように数字でお答えください。", "Please answer with a number, such as 3.")),
            < 1 => StepAnswer.Reject(new("人数は1人以上でお答えください。", "Please enter at least 1.")),
            > MaxHousehold => StepAnswer.Reject(new($"{MaxHousehold}人までで入力してください。大人数の場合は相談員にご相談ください。",
                $"Please enter up to {MaxHousehold}. For larger groups, please talk to a coordinator.")),
            _ => StepAnswer.Accept(number.Value.ToString(CultureInfo.InvariantCulture)),
        };
    }

    static StepAnswer ParseArea(string input)
    {
        var text = input.Trim();
        if (text.Length == 0)
            return StepAnswer.Reject(new("地域名を入力するか、「わからない」を選んでください。", "Type a place name or choose \"Not sure\"."));
        if (text.Length > MaxAreaLength)
            return StepAnswer.Reject(new($"{MaxAreaLength}文字以内で入力してください。", $"Please keep it under {MaxAreaLength} characters."));
        return StepAnswer.Accept(text);
    }

    /// <summary>Reads "3", "３", "3人", "三人" or "十二"; null when the text holds no single number.</summary>
    internal static int? ReadSmallNumber(string input)
    {
        var text = input.Normalize(NormalizationForm.FormKC).Trim();
        if (text.StartsWith('-'))
            return -1;
        var digits = new string(text.TakeWhile(char.IsAsciiDigit).ToArray());
        if (digits.Length > 0)
        {
            var rest = text[digits.Length..].Trim();
            if (rest is not ("" or "人" or "名" or "people" or "persons" or "person"))
                return null;
            return digits.Length > 6 ? int.MaxValue : int.Parse(digits, CultureInfo.InvariantCulture);
        }
        const string kanji = "〇一二三四五六七八九";
        var core = text.TrimEnd('人', '名');
        if (core.Length == 1 && kanji.Contains(core[0]))
            return kanji.IndexOf(core[0]);
        if (core == "十")
            return 10;
        if (core.Length == 2 && core[0] == '十' && kanji.IndexOf(core[1]) > 0)
            return 10 + kanji.IndexOf(core[1]);
        return null;
    }
}
