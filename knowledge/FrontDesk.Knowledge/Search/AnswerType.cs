using System.Text.RegularExpressions;

namespace FrontDesk.Knowledge.Search;

// What kind of fact a question asks for ("いつ" wants a date, "何人" a head count). A passage
// or sentence holding that kind of value is more likely to be the answer.
public static partial class AnswerType
{
    private static readonly (Regex Question, Regex Value)[] Types =
    [
        (DefinitionQuestion(), DefinitionValue()),
        (DateQuestion(), DateValue()),
        (PeopleQuestion(), PeopleValue()),
        (MoneyQuestion(), MoneyValue()),
        (RatioQuestion(), RatioValue()),
        (CountQuestion(), CountValue()),
    ];

    public static Regex? Expected(string question)
    {
        foreach (var (q, value) in Types)
        {
            if (q.IsMatch(question))
            {
                return value;
            }
        }

        return null;
    }

    [GeneratedRegex(@"どういう意味|どういういみ|意味は|意味って|とは何|とはなに|って何|ってなに|what does .+ mean|meaning of|what is meant", RegexOptions.IgnoreCase)]
    private static partial Regex DefinitionQuestion();

    [GeneratedRegex(@"とは|のこと|を指す|という意味|を意味|\(注\d+:")]
    private static partial Regex DefinitionValue();

    [GeneratedRegex(@"いつ|何年|何月|何日|時期|年度は|\bwhen\b|what year|which year|\bdate\b", RegexOptions.IgnoreCase)]
    private static partial Regex DateQuestion();

    [GeneratedRegex(@"(令和|平成|昭和)\s*(\d+|元)\s*年|\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{2}|R\d+\b")]
    private static partial Regex DateValue();

    [GeneratedRegex(@"何人|何名|人数|how many (people|persons|staff|residents)", RegexOptions.IgnoreCase)]
    private static partial Regex PeopleQuestion();

    [GeneratedRegex(@"\d[\d,]*\s*(人|名)")]
    private static partial Regex PeopleValue();

    [GeneratedRegex(@"いくら|金額|何円|何万円|how much|\bcost\b|\bprice\b", RegexOptions.IgnoreCase)]
    private static partial Regex MoneyQuestion();

    [GeneratedRegex(@"\d[\d,.]*\s*(万|億|千)?\s*円")]
    private static partial Regex MoneyValue();

    [GeneratedRegex(@"割合|何割|何%|何パーセント|率|どのくらい|どれくらい|percentage|\brate\b|\bratio\b", RegexOptions.IgnoreCase)]
    private static partial Regex RatioQuestion();

    [GeneratedRegex(@"\d+(\.\d+)?\s*(%|％|割|倍)|[0-9.]+\s*×")]
    private static partial Regex RatioValue();

    [GeneratedRegex(@"何回|何件|何団体|何か所|何カ所|何個|いくつ|何業務|何市町村|何自治体|how many|number of", RegexOptions.IgnoreCase)]
    private static partial Regex CountQuestion();

    [GeneratedRegex(@"\d")]
    private static partial Regex CountValue();
}
