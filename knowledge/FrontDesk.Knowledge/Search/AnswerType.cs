using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace FrontDesk.Knowledge.Search;

// What a question asks for. Amounts, numbers, dates and deadlines are figures: a sentence
// without one cannot answer. The others guide which sentences are chosen.
public enum AnswerKind
{
    Other,
    Amount,
    Number,
    Date,
    Deadline,
    Who,
    Place,
    List,
    Condition,
    Procedure,
    Definition,
    YesNo,
}

// What kind of fact a question asks for ("いつ" wants a date, "何人" a head count). A passage
// or sentence holding that kind of value is more likely to be the answer.
public static partial class AnswerType
{
    // The question is read after NFKC (full-width "？" is "?"). The first matching kind wins:
    // "いくらもらえますか" asks for an amount, not a yes/no.
    public static AnswerKind Classify(string question)
    {
        var q = question.Trim();
        if (q.Length == 0)
        {
            return AnswerKind.Other;
        }

        if (DeadlineQuestion().IsMatch(q))
        {
            return AnswerKind.Deadline;
        }

        if (MoneyQuestion().IsMatch(q))
        {
            return AnswerKind.Amount;
        }

        if (PeopleQuestion().IsMatch(q) || RatioQuestion().IsMatch(q) || CounterQuestion().IsMatch(q) || CountQuestion().IsMatch(q))
        {
            return AnswerKind.Number;
        }

        if (DateQuestion().IsMatch(q))
        {
            return AnswerKind.Date;
        }

        if (WhoQuestion().IsMatch(q))
        {
            return AnswerKind.Who;
        }

        if (PlaceQuestion().IsMatch(q))
        {
            return AnswerKind.Place;
        }

        if (DefinitionQuestion().IsMatch(q) || WhatIsQuestion().IsMatch(q))
        {
            return AnswerKind.Definition;
        }

        if (ListQuestion().IsMatch(q))
        {
            return AnswerKind.List;
        }

        if (ProcedureQuestion().IsMatch(q))
        {
            return AnswerKind.Procedure;
        }

        if (ConditionQuestion().IsMatch(q))
        {
            return AnswerKind.Condition;
        }

        // "何を出すの？" ends like a yes/no question but asks for a thing.
        return YesNoQuestion().IsMatch(q) && !WhWord().IsMatch(q) ? AnswerKind.YesNo : AnswerKind.Other;
    }

    [GeneratedRegex(@"何(?!か)|なに(?!か)|なん(?!か|と)|どう|どんな|どの|どれ|どこ|どちら|いつ|だれ|誰|なぜ|^(what|which|how|where|who|why|when)\b", RegexOptions.IgnoreCase)]
    private static partial Regex WhWord();

    public static bool IsFigure(AnswerKind kind) => kind is AnswerKind.Amount or AnswerKind.Number or AnswerKind.Date or AnswerKind.Deadline;

    // A defining sentence: "移住支援金は、…にもとづくお金です", "区域外就学とは…", "…という制度です".
    public static bool IsDefinition(string sentence) => DefiningSentence().IsMatch(sentence);

    // Who does it: a body named as the subject or the one paying, running or deciding.
    public static bool NamesBody(string sentence) => BodyValue().IsMatch(sentence);

    // A section heading that says what kind of fact is under it ("金額" for an amount, "要件" for
    // a condition): its sentences often do not repeat the topic, the heading does.
    public static bool HeadingSuits(AnswerKind kind, string heading) => kind switch
    {
        AnswerKind.Amount => AmountHeading().IsMatch(heading),
        AnswerKind.Deadline or AnswerKind.Date => DateHeading().IsMatch(heading),
        AnswerKind.Condition => ConditionHeading().IsMatch(heading),
        AnswerKind.Procedure => ProcedureHeading().IsMatch(heading),
        AnswerKind.Who => WhoHeading().IsMatch(heading),
        AnswerKind.Definition => DefinitionHeading().IsMatch(heading),
        _ => false,
    };

    [GeneratedRegex(@"金額|[^対]額|費用|料金|補助|上限|支給|加算|amount|cost|fee", RegexOptions.IgnoreCase)]
    private static partial Regex AmountHeading();

    [GeneratedRegex(@"期限|締め?切|時期|期間|日程|スケジュール|いつ|deadline|date|when", RegexOptions.IgnoreCase)]
    private static partial Regex DateHeading();

    [GeneratedRegex(@"要件|条件|対象|資格|eligib|condition|requirement", RegexOptions.IgnoreCase)]
    private static partial Regex ConditionHeading();

    [GeneratedRegex(@"手続|流れ|方法|進め方|使い方|申請|申し込|step|procedure|how to", RegexOptions.IgnoreCase)]
    private static partial Regex ProcedureHeading();

    [GeneratedRegex(@"財源|負担|運営|実施|主体|だれ|誰|担当|窓口|who|operator", RegexOptions.IgnoreCase)]
    private static partial Regex WhoHeading();

    [GeneratedRegex(@"とは|概要|しくみ|仕組み|について|what is|overview", RegexOptions.IgnoreCase)]
    private static partial Regex DefinitionHeading();

    // Several items named in one line: 「負担軽減」「登録・地域関与」「教育」, or A・B・C部会.
    public static bool Enumerates(string sentence) => QuotedItems().IsMatch(sentence) || (sentence.Length <= 100 && SeparatedItems().IsMatch(sentence));

    // A condition, requirement or case: "…場合", "…を満たす", "対象になります".
    public static bool StatesCondition(string sentence) => ConditionValue().IsMatch(sentence);

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

    // In the order Classify reads the question: "ワンストップ特例って何団体まで" asks for a count, not a definition.
    public static Regex? Expected(string question)
    {
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

        return DefinitionQuestion().IsMatch(question) ? DefinitionValue() : null;
    }

    [GeneratedRegex(@"どういう意味|どういういみ|意味は|意味って|とは何|とはなに|(?<!こ|も)とは\?|(?<!こと|もの|の)って(何|なに|なん)(?![回人年月日件個円割%つ名か所が])|どういう(もの|制度|仕組み|こと|取り組み|取組)|どんな(もの|制度|仕組み)(です|なの|\?|？)|what does .+ mean|meaning of|what is meant", RegexOptions.IgnoreCase)]
    private static partial Regex DefinitionQuestion();

    [GeneratedRegex(@"^(what|who) (is|are) (a |an |the )?[^,]{2,60}\?$|^what('s| is) (a |an )", RegexOptions.IgnoreCase)]
    private static partial Regex WhatIsQuestion();

    [GeneratedRegex(@"(?<![\p{IsCJKUnifiedIdeographs}])とは|のこと(です|を|で)|をいいます|をいう|を指し|という意味|の略|(制度|仕組み|しくみ|取り組み|取組|手続き|手続|事業|お金|支援金|交付金|サービス|学校|プログラム|枠組み|方法|計画|団体|法人|ことば|言葉)(です|である|だ)(。|$)|\b(is|are|means|refers to) (a|an|the)\b|\(注\d+:")]
    private static partial Regex DefiningSentence();

    [GeneratedRegex(@"だれが|誰が|誰に|だれに|どこが|どの(機関|団体|組織|会社|省|役所)|どこの(会社|団体|機関|組織)|主体|運営者|担当は|\bwho\b|which (body|organi[sz]ation|agency|company|ministry)", RegexOptions.IgnoreCase)]
    private static partial Regex WhoQuestion();

    [GeneratedRegex(@"(国|都道府県|市町村|市区町村|自治体|県|市|町|村|[\p{IsCJKUnifiedIdeographs}\p{IsKatakana}ー]{1,12}(省|庁|機構|法人|協議会|委員会|会社|センター|事務局|知事会|部会|組合|財団))(が|は|と|で|から|の負担|による)|株式会社|LIFULL|\b(government|ministry|agency|prefecture|municipality|company)\b", RegexOptions.IgnoreCase)]
    private static partial Regex BodyValue();

    // "5つのテーマは", "どんな部会がある", "何がある", "主な…", "種類".
    [GeneratedRegex(@"\d+つの|(\d+|いくつか)の[\p{IsCJKUnifiedIdeographs}\p{IsKatakana}ー]+(は|を|って)|どんな[^?]{0,20}(が|を)?(ある|あり|いる|出て|挙が|並|含)|どういった[^?]{0,20}(が|を)?(ある|あり)|何(が|を)(ある|あり|挙げ|含)|なにがある|主な|一覧|種類|挙げ(て|られ)|列挙|what are (the|some)|which .+ (are there|exist)|list of|kinds of|types of", RegexOptions.IgnoreCase)]
    private static partial Regex ListQuestion();

    [GeneratedRegex(@"手続き|手順|流れ|方法|やり方|どうやって|どうすれば|どのように|どうやったら|申し込み方|使い方|進め方|how (do|can|to|should)|steps|procedure|process", RegexOptions.IgnoreCase)]
    private static partial Regex ProcedureQuestion();

    [GeneratedRegex(@"条件|要件|対象(者|に|と|は|外)|資格|できますか|できる\?|できるの|もらえますか|もらえる\?|もらえるの|使えますか|使える\?|受けられ|必要(ですか|\?|なの)|いりますか|eligib|requirement|condition|qualif|can i|am i able", RegexOptions.IgnoreCase)]
    private static partial Regex ConditionQuestion();

    [GeneratedRegex(@"(ますか|ですか|でしょうか|ある|あるの|いい|なる|なの|の)\??$|^(is|are|can|do|does|will|should) ", RegexOptions.IgnoreCase)]
    private static partial Regex YesNoQuestion();

    [GeneratedRegex(@"([「『][^」』]{1,20}[」』][、・,\s]*){3,}")]
    private static partial Regex QuotedItems();

    [GeneratedRegex(@"(?<![^、,・\s(「]{11})([^、,・\s(「]{1,10}[、,・]){2,}[^、,・\s(「]{1,10}(など|等|の\d+つ)")]
    private static partial Regex SeparatedItems();

    [GeneratedRegex(@"場合|条件|要件|満たす|満たし|あてはまる|当てはまる|対象(と|に)な|対象です|対象外|必要があ|必要です|限り|\d\S{0,3}(以上|以内|未満)|ただし|\b(if|must|eligible|only)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ConditionValue();

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

    [GeneratedRegex(@"(教育委員会|市町村|市区町村|都道府県|役所|役場|窓口|事務所|税務署|自治体|学校|センター)(に|へ|で|から)(届|提出|申請|申し込|相談|問い合わせ|出す|出し|出して|手続|受け付|確認)|(役所|役場|窓口|事務所|税務署|センター)(で|に|へ)|https?://|\b(board of education|office|municipality)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PlaceValue();
}
