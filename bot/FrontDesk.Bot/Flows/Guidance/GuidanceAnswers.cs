using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FrontDesk.Bot.Conversations;

namespace FrontDesk.Bot.Flows.Guidance;

/// <summary>Reading typed answers of the guided flows: a child's grade or age, and small counts such as years.</summary>
public static partial class GuidanceAnswers
{
    public const int MaxChildAge = 18;

    static readonly LocalText ChildHelp = new(
        "お子さんの学年か年齢を「小3」「中1」「5歳」のようにお答えください。お子さんが2人以上の場合は、まずお一人についてお答えください。",
        "Please give your child's grade or age, for example \"grade 3\" or \"5 years old\". With more than one child, start with one of them.");

    /// <summary>
    /// A grade (小3, 中学1年, 高1, 年長) or an age (5歳), as canonical text for the summary; the school year range is read
    /// back from it with <see cref="SchoolYears"/>.
    /// </summary>
    public static StepAnswer ReadChild(string input)
    {
        var text = Fold(input);
        if (text.Length == 0)
            return StepAnswer.Reject(ChildHelp);
        if (Nursery(text) is { } nursery)
            return StepAnswer.Accept(nursery);
        if (GradePattern().Match(text) is { Success: true } g)
        {
            var number = Number(g.Groups["n"].Value);
            var (stage, years) = g.Groups["s"].Value[0] switch { '小' => ("小学", 6), '中' => ("中学", 3), _ => ("高校", 3) };
            if (number is null or < 1 || number > years)
                return StepAnswer.Reject(new($"{stage}校は1〜{years}年生です。学年をもう一度お答えください。", $"That grade does not exist ({stage}: 1 to {years}). Please try again."));
            return StepAnswer.Accept($"{stage}{number}年生");
        }
        if (EnglishGradePattern().Match(text) is { Success: true } eg)
        {
            var grade = int.Parse(eg.Groups["n"].Value, CultureInfo.InvariantCulture);
            return grade is >= 1 and <= 12
                ? StepAnswer.Accept(grade <= 6 ? $"小学{grade}年生" : grade <= 9 ? $"中学{grade - 6}年生" : $"高校{grade - 9}年生")
                : StepAnswer.Reject(new("学年は小1〜高3の範囲でお答えください。", "Please give a grade from 1 to 12."));
        }
        if (AgePattern().Match(text) is { Success: true } a)
        {
            if (a.Groups["neg"].Success)
                return StepAnswer.Reject(new($"年齢は0〜{MaxChildAge}歳でお答えください。", $"Please give an age from 0 to {MaxChildAge}."));
            var age = Number(a.Groups["n"].Value);
            if (age is null)
                return StepAnswer.Reject(ChildHelp);
            if (age > MaxChildAge)
                return StepAnswer.Reject(new($"お子さんの年齢は0〜{MaxChildAge}歳でお答えください。{MaxChildAge}歳を超える方のご相談は、相談員がお受けします。",
                    $"Please give an age from 0 to {MaxChildAge}. For anyone older, a coordinator can help."));
            return StepAnswer.Accept($"{age}歳");
        }
        return StepAnswer.Reject(ChildHelp);
    }

    /// <summary>The school years (1-6 elementary, 7-9 junior high, 10-12 high school, 0 and below before school) a stored answer stands for.</summary>
    public static (double Min, double Max)? SchoolYears(string canonical)
    {
        if (Nursery(canonical) is { } nursery)
            return nursery switch { "年少" => (-2, -2), "年中" => (-1, -1), _ => (0, 0) };
        if (GradePattern().Match(canonical) is { Success: true } g && Number(g.Groups["n"].Value) is { } n)
        {
            var year = g.Groups["s"].Value[0] switch { '小' => n, '中' => n + 6, _ => n + 9 };
            return (year, year);
        }
        if (AgePattern().Match(canonical) is { Success: true } a && Number(a.Groups["n"].Value) is { } age)
        {
            // An age alone leaves two possible school years (before or after the April birthday cut-off).
            return (age - 6, age - 5);
        }
        return null;
    }

    /// <summary>A whole number from 0 to <paramref name="max"/>, with an optional unit (年, 人); 「なし」 and 「いない」 are 0.</summary>
    public static int? ReadCount(string input, int max, params string[] units)
    {
        var text = Fold(input);
        if (text is "なし" or "いない" or "いません" or "ゼロ" or "none" or "no" or "zero")
            return 0;
        foreach (var unit in units.OrderByDescending(u => u.Length))
            if (text.EndsWith(unit, StringComparison.Ordinal))
            {
                text = text[..^unit.Length];
                break;
            }
        var number = Number(text);
        return number is null ? null : Math.Min(number.Value, max + 1);
    }

    static string? Nursery(string text) => text switch
    {
        "年少" or "年少さん" => "年少",
        "年中" or "年中さん" => "年中",
        "年長" or "年長さん" => "年長",
        _ => null,
    };

    static string Fold(string input) =>
        input.Normalize(NormalizationForm.FormKC).Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).TrimEnd('。', '.', 'で', 'す');

    /// <summary>Digits or a kanji number up to 99; null for anything else.</summary>
    static int? Number(string text)
    {
        if (text.Length == 0)
            return null;
        if (text.All(char.IsAsciiDigit))
            return text.Length > 3 ? 999 : int.Parse(text, CultureInfo.InvariantCulture);
        const string digits = "〇一二三四五六七八九";
        if (text.Length == 1 && digits.Contains(text[0]))
            return digits.IndexOf(text[0]);
        var ten = text.IndexOf('十');
        if (ten < 0 || text.Length > 3)
            return null;
        var tens = ten == 0 ? 1 : digits.IndexOf(text[0]);
        var ones = ten == text.Length - 1 ? 0 : digits.IndexOf(text[ten + 1]);
        return tens < 1 || ones < 0 ? null : tens * 10 + ones;
    }

    [GeneratedRegex(@"^(?<s>小|中|高)(学校?|校)?(?<n>[0-9〇一二三四五六七八九十]{1,3})(年生?|年)?(生)?$")]
    private static partial Regex GradePattern();

    [GeneratedRegex(@"^(grade|year)(?<n>[0-9]{1,2})$")]
    private static partial Regex EnglishGradePattern();

    [GeneratedRegex(@"^(?<neg>-)?(?<n>[0-9〇一二三四五六七八九十]{1,4})(歳|才|さい|yearsold|years|yrs|y)?$")]
    private static partial Regex AgePattern();
}
