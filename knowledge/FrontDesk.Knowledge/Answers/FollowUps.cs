using System.Text.RegularExpressions;
using FrontDesk.Knowledge.Search;
using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Answers;

// The question before, as a conversation remembers it: its text (already read in context when it
// was a follow-up itself), the document its answer came from, and how many turns ago its topic
// was set (1 = the turn just before this one).
public sealed record FollowUpContext(string Question, string? DocumentId, int TurnsSince);

// How one question is read. SearchText is what to search and compose with: the question itself,
// or for a follow-up the previous topic's words with this question's detail.
public sealed record FollowUpReading(string Question, string SearchText, bool IsFollowUp, string? PreviousDocument, int TopicAge)
{
    // What a later turn remembers once the answer is known (turnsLater = turns between the two).
    public FollowUpContext Next(string? answerDocument, int turnsLater = 1) =>
        new(SearchText, answerDocument ?? PreviousDocument, TopicAge + turnsLater);
}

// Elliptical follow-ups (「それっていくら？」「条件は？」「子どもがいる場合は？」"how much is it?") are
// read with the previous question's topic for two turns; a question naming a topic of its own
// starts fresh. Pure text rules, plus the index to tell a topic word from an unknown one.
public static partial class FollowUps
{
    public const int MaxTurns = 2;

    private const double KnownCoverage = 0.6;

    private const int MaxDetailChars = 16;

    private const double HeldShare = 0.7;

    public static FollowUpReading Read(string question, FollowUpContext? context, IndexSnapshot? index = null) =>
        index is null
            ? Read(question, context, null, null)
            : Read(question, context, word => Knows(index, word), (document, word) => DocumentHolds(index, document, word));

    // knows: whether the index holds a content word (null: every word counts as known);
    // documentHolds: whether a document (by id) contains one.
    public static FollowUpReading Read(string question, FollowUpContext? context, Func<string, bool>? knows, Func<string, string, bool>? documentHolds)
    {
        var fresh = new FollowUpReading(question, question, false, null, 0);
        if (context is null || context.TurnsSince < 1 || context.TurnsSince > MaxTurns || string.IsNullOrWhiteSpace(context.Question))
        {
            return fresh;
        }

        var text = JapaneseText.Normalize(question).ToLowerInvariant();
        if (text.Length == 0 || text.Length > 200)
        {
            return fresh;
        }

        var english = TextLanguage.Detect(text) == TextLanguage.English;
        var demonstrative = english ? EnglishDemonstrative().IsMatch(text) : Demonstrative().IsMatch(text);
        var typed = AnswerType.Expected(text) is not null || TypePhrase().IsMatch(text);
        var cases = CasesNamed(text);
        var bareQualifier = english ? EnglishQualifier().IsMatch(text) : BareQualifier().IsMatch(text);
        var topics = TopicWords(text, english).Where(w => knows?.Invoke(w) ?? true).ToList();

        // A topic word of its own makes a new question, unless the question points back (「その子育て
        // 加算は？」) at something the previous topic holds.
        // So does a short question about a detail of the previous answer's document (「八重瀬町だと？」
        // 「ショートは？」 「何団体まで登録できる？」).
        var detail = JapaneseText.Compact(text).Length <= MaxDetailChars && (typed || bareQualifier || BareTopic().IsMatch(text));
        var followUp = topics.Count == 0
            ? demonstrative || typed || cases.Count > 0 || bareQualifier
            : (demonstrative || detail) && topics.All(w => PreviousHolds(context, w, documentHolds));
        if (!followUp)
        {
            return fresh;
        }

        return new FollowUpReading(question, Combine(context.Question, question, typed, cases), true, context.DocumentId, context.TurnsSince);
    }

    // The previous topic without its asked-for type when this question asks its own, and without
    // the sibling cases of a case this question names (単身 replaces 世帯), then this question.
    private static string Combine(string previous, string question, bool typed, IReadOnlyList<int> cases)
    {
        var topic = Request().Replace(JapaneseText.Normalize(previous), " ");
        var previousTypes = string.Join(' ', TypePhrase().Matches(topic.ToLowerInvariant()).Select(m => m.Value));
        if (typed)
        {
            topic = TypePhrase().Replace(topic, " ");
        }

        foreach (var (group, index) in CaseGroups.Select((g, i) => (g, i)))
        {
            if (cases.Count > 0 && !cases.Contains(index))
            {
                topic = group.Replace(topic, " ");
            }
        }

        var current = JapaneseText.Normalize(question);
        current = TextLanguage.Detect(current) == TextLanguage.English
            ? EnglishDemonstrative().Replace(current, " ")
            : Demonstrative().Replace(current, " ");
        var parts = new[] { topic, current, typed ? "" : TypePhrase().Replace(previousTypes, m => topic.Contains(m.Value, StringComparison.OrdinalIgnoreCase) ? "" : m.Value) };
        return Spaces().Replace(string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p))), " ").Trim();
    }

    private static bool PreviousHolds(FollowUpContext context, string word, Func<string, string, bool>? documentHolds) =>
        JapaneseText.Compact(context.Question).Contains(JapaneseText.Compact(word), StringComparison.OrdinalIgnoreCase)
        || context.DocumentId is { } document && documentHolds?.Invoke(document, word) == true;

    private static bool DocumentHolds(IndexSnapshot index, string documentId, string word)
    {
        var profile = index.Search(word, 1).Profile;
        var wanted = profile.TermSet(word);
        var terms = profile.DocumentTerms(documentId);
        // A share, not all: the analyser adds terms across the word's edges and lemma readings.
        return wanted.Count > 0 && wanted.Count(terms.Contains) >= HeldShare * wanted.Count;
    }

    // A word the index knows: searching it alone finds a passage that covers most of it.
    private static bool Knows(IndexSnapshot index, string word)
    {
        var result = index.Search(word, 1);
        if (result.Hits.Count == 0 || result.Profile.IsEmpty)
        {
            return false;
        }

        var hit = result.Hits[0].Passage;
        return result.Profile.Coverage(IndexSnapshot.ContextOf(hit) + "\n" + hit.Text) >= KnownCoverage;
    }

    private static List<int> CasesNamed(string text) =>
        CaseGroups.Select((g, i) => (g, i)).Where(x => x.g.IsMatch(text)).Select(x => x.i).ToList();

    // Words that could carry a topic: kanji/katakana/Latin runs (and, in a keyword-style question,
    // hiragana words) once the asked-for type, the cases, the demonstratives and the words any
    // question of the field uses are taken out.
    private static IEnumerable<string> TopicWords(string text, bool english)
    {
        var rest = TypePhrase().Replace(text, " ");
        foreach (var group in CaseGroups)
        {
            rest = group.Replace(rest, " ");
        }

        rest = english ? EnglishDemonstrative().Replace(rest, " ") : Demonstrative().Replace(rest, " ");
        rest = GenericWord().Replace(rest, " ");
        if (english)
        {
            return Words().Matches(rest).Select(m => m.Value).Where(w => w.Length > 2 && !EnglishStopWord().IsMatch(w));
        }

        var runs = ContentRun().Matches(rest).Select(m => m.Value).Where(w => w.Length >= 2);
        var keywords = text.Contains(' ')
            ? rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => HiraganaWord().IsMatch(w))
            : [];
        return runs.Concat(keywords).Distinct();
    }

    // 世帯 | 単身 | 子ども: naming one case of a grant drops the previous question's other case.
    private static readonly Regex[] CaseGroups =
    [
        HouseholdCase(),
        SingleCase(),
        ChildCase(),
    ];

    [GeneratedRegex(@"世帯|家族|夫婦|二人以上|\bhouseholds?\b|\bfamily\b|\bfamilies\b|\bcouples?\b", RegexOptions.IgnoreCase)]
    private static partial Regex HouseholdCase();

    [GeneratedRegex(@"単身|独身|一人暮らし|ひとり暮らし|一人で|ひとりで|\bsingle\b|\balone\b", RegexOptions.IgnoreCase)]
    private static partial Regex SingleCase();

    [GeneratedRegex(@"子ども|子供|こども|子育て|子連れ|18歳未満|\bchild\b|\bchildren\b|\bkids?\b", RegexOptions.IgnoreCase)]
    private static partial Regex ChildCase();

    // それ・その制度・this one…; not それぞれ, これから, これまで.
    [GeneratedRegex(@"(?<![ぁ-ゖ])(それ|これ|あれ|そちら|こちら|そっち|こっち)(?!ぞれ|から|まで|ほど|以外)(って|は|で|に|を|も|の|が|だと|なら|について)?|(?<![ぁ-ゖ])(その|この|あの)(?=[一-龯々ァ-ヺー]|\s|$)|さっきの|先ほどの|上記の?|同じ制度")]
    private static partial Regex Demonstrative();

    [GeneratedRegex(@"\b(it|its|that|this|they|them|those|these|there)\b", RegexOptions.IgnoreCase)]
    private static partial Regex EnglishDemonstrative();

    // What a question asks for, as a short question would say it.
    [GeneratedRegex(@"いくら(くらい|ぐらい)?|金額|何円|何万円|いつまで(に)?|いつから|いつ頃|いつ|期限|締め?切り?|何年|何月|何日|何人|何歳|何件|何回|どこ(に|へ|で|から|の)?|だれ|誰|どうやって|どうすれば|どのように|どのくらい|どれくらい|どんな|方法|やり方|条件|要件|対象者?|必要書類|書類|手続き?|申請方法|申請先|届け?出先|上限|所得制限|とは(何|なに)?|って(何|なに)|how much|how many|how long|how do i|how can i|how to|until when|\bwhen\b|\bwhere\b|\bwho\b|\bwhich\b|\bwhat\b|\bdeadline\b|\bamount\b|\bconditions?\b|\brequirements?\b|\beligib\w*|\bdocuments?\b", RegexOptions.IgnoreCase)]
    private static partial Regex TypePhrase();

    // 単身だと？ 子どもがいる場合は？ 夫婦なら？
    [GeneratedRegex(@"(場合|とき|時)(は|って|だと|なら|には|でも)?\??$|(だと|なら|では|だったら|でも|の方は|の人は)\??$")]
    private static partial Regex BareQualifier();

    // 「ショートは？」: a bare noun and a question mark.
    [GeneratedRegex(@"^[^\s?]{1,12}(は|って|の方は)\?$")]
    private static partial Regex BareTopic();

    [GeneratedRegex(@"^\s*(and|what about|how about|what if)\b|\bif (i|we)\b", RegexOptions.IgnoreCase)]
    private static partial Regex EnglishQualifier();

    // Words any question of the field may use without naming a topic.
    [GeneratedRegex(@"場合|申請|申し?込み?|受付|届け?出|必要|可能|大丈夫|詳細|詳しく|具体的|仕組み?|ほか|他に|例えば|違い|一緒|私|自分|今年度?|来年度?|去年|本当|全部|全額|最大|以内|以上|万円|円|年度|期間|費用|支給|提出|窓口|連絡先|問い合わせ|問合せ|年齢|制限|内容|予定|教えて|知りたい|もらえ|受け取|使え|でき|いる|ある|\b(person|people|persons|case|cases|apply|application|cost|costs|get|receive|paid|pay|grant amount|about|details?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex GenericWord();

    [GeneratedRegex(@"^(is|are|was|were|the|and|for|with|can|does|did|will|would|should|you|your|our|any|there|then|also|much|many|too|get|how|what|why|from|have|has|need|please|tell|about|more|else)$")]
    private static partial Regex EnglishStopWord();

    [GeneratedRegex(@"[一-龯々〆ヶァ-ヺーa-z0-9]+")]
    private static partial Regex ContentRun();

    [GeneratedRegex(@"^[ぁ-ゖー]{4,}$")]
    private static partial Regex HiraganaWord();

    [GeneratedRegex(@"[a-z][a-z\-']*")]
    private static partial Regex Words();

    // "…について教えてください": how a question is asked, not what it is about.
    [GeneratedRegex(@"について|を?教えて(ください|下さい|もらえますか)?|を?知りたい(です)?|\b(tell me about|please tell me|i want to know)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Request();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
