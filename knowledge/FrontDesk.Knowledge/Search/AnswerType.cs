using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace FrontDesk.Knowledge.Search;

// What kind of fact a question asks for ("いつ" wants a date, "何人" a head count). A passage
// or sentence holding that kind of value is more likely to be the answer.
public static partial class AnswerType
{
    private static readonly (Regex Question, Regex Value)[] Types =
    [
        (DeadlineQuestion(), DeadlineValue()),
        (DateQuestion(), DateValue()),
        (PeopleQuestion(), PeopleValue()),
        (MoneyQuestion(), MoneyValue()),
        (RatioQuestion(), RatioValue()),
        (CountQuestion(), CountValue()),
        (PlaceQuestion(), PlaceValue()),
    ];

    private static readonly Regex[] Figures = [DeadlineValue(), DateValue(), PeopleValue(), MoneyValue(), RatioValue(), CountValue()];

    // Dates, counts, amounts and shares are figures: an extractive answer without one cannot be
    // right. A definition can be phrased any way, so it only guides sentence choice.
    public static bool IsFigure(Regex expected) => Figures.Contains(expected) || Counted.Values.Contains(expected);

    // "何団体" wants a number of 団体, not any digit: "2015年" does not answer it.
    private static readonly ConcurrentDictionary<string, Regex> Counted = new();

    public static Regex? Expected(string question)
    {
        if (DefinitionQuestion().IsMatch(question))
        {
            return DefinitionValue();
        }

        if (CounterQuestion().Match(question) is { Success: true } counter)
        {
            var unit = counter.Groups[1].Value;
            return Counted.GetOrAdd(unit, u => new Regex(@"\d\s*" + Regex.Escape(u), RegexOptions.Compiled));
        }

        foreach (var (q, value) in Types)
        {
            if (q.IsMatch(question))
            {
                return value;
            }
        }

        return null;
    }

    [GeneratedRegex(@"どういう意味|どういういみ|意味は|意味って|とは何|とはなに|って(何|なに)(?![回人年月日件個円割%つ名か所])|what does .+ mean|meaning of|what is meant", RegexOptions.IgnoreCase)]
    private static partial Regex DefinitionQuestion();

    [GeneratedRegex(@"とは|のこと|を指す|という意味|を意味|\(注\d+:")]
    private static partial Regex DefinitionValue();

    // "Until when" is answered by a date or by a period ("転入から1年以内").
    [GeneratedRegex(@"いつまで|期限|締め?切り?|until when|\bdeadline\b", RegexOptions.IgnoreCase)]
    private static partial Regex DeadlineQuestion();

    [GeneratedRegex(@"(令和|平成|昭和)\s*(\d+|元)\s*年|\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{2}|\d+\s*(か月|カ月|ヶ月|年|日|週間)\s*(以内|以上|まで|後)|\d{1,2}\s+(january|february|march|april|may|june|july|august|september|october|november|december)", RegexOptions.IgnoreCase)]
    private static partial Regex DeadlineValue();

    // "何年生" asks for a school grade, not a year.
    [GeneratedRegex(@"いつ|何年(?!生)|何月|何日|時期|年度は|\bwhen\b|what year|which year|\bdate\b", RegexOptions.IgnoreCase)]
    private static partial Regex DateQuestion();

    [GeneratedRegex(@"(令和|平成|昭和)\s*(\d+|元)\s*年|\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{2}|R\d+\b")]
    private static partial Regex DateValue();

    [GeneratedRegex(@"何人|何名|人数|how many (people|persons|staff|residents)", RegexOptions.IgnoreCase)]
    private static partial Regex PeopleQuestion();

    // "約2万2千人": kanji units may sit between the digits.
    [GeneratedRegex(@"\d[\d,.万千百]*\s*(人|名)")]
    private static partial Regex PeopleValue();

    [GeneratedRegex(@"いくら|金額|何円|何万円|how much|\bcost\b|\bprice\b", RegexOptions.IgnoreCase)]
    private static partial Regex MoneyQuestion();

    [GeneratedRegex(@"\d[\d,.万億千百]*\s*円")]
    private static partial Regex MoneyValue();

    [GeneratedRegex(@"割合|何割|何%|何パーセント|率|percentage|\brate\b|\bratio\b", RegexOptions.IgnoreCase)]
    private static partial Regex RatioQuestion();

    [GeneratedRegex(@"\d+(\.\d+)?\s*(%|％|割|倍)|[0-9.]+\s*×")]
    private static partial Regex RatioValue();

    [GeneratedRegex(@"何回|何件|何団体|何か所|何カ所|何個|いくつ|何業務|何市町村|何自治体|どのくらい|どれくらい|どれだけ|how many|number of", RegexOptions.IgnoreCase)]
    private static partial Regex CountQuestion();

    [GeneratedRegex(@"\d")]
    private static partial Regex CountValue();

    [GeneratedRegex(@"何(団体|件|歳|年生|か所|カ所|市町村|自治体|法人|業務|週間|か月|ヶ月|泊)")]
    private static partial Regex CounterQuestion();

    // Where to go or whom to ask: an office named as the place of an action, or a web address.
    [GeneratedRegex(@"どこに|どこへ|どこで|どこから|どこの|どちらに|窓口は|提出先|届け?出先|\bwhere\b|\bwhich (office|company|site)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PlaceQuestion();

    [GeneratedRegex(@"(教育委員会|市町村|市区町村|都道府県|役所|役場|窓口|事務所|税務署|自治体|学校)(に|へ|で|から)|https?://|\b(board of education|office|municipality)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PlaceValue();
}
