using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FrontDesk.Knowledge.Ingestion;
using FrontDesk.Knowledge.Search;
using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Answers;

// Extractive answers: the source's own sentences, so figures and names are never rephrased,
// plus where they came from. Confidence comes from retrieval features only.
public sealed partial class AnswerComposer(AnswerOptions options)
{
    private const double MinGain = 0.05;
    private const int ShortSentence = 25;
    private const int MinBody = 40;
    private const double PassagePrior = 0.3;
    private const double UnknownTermPenalty = 0.2;
    private const double CoverageWeight = 0.65;
    private const double ScoreWeight = 0.3;

    // The lead over the runner-up is kept small: an off-topic question that happens to hit one
    // rare word also "leads" by a lot.
    private const double MarginWeight = 0.05;
    private const double AnswerTypeBonus = 0.15;

    // A sentence introducing a list ("主なものとして以下が挙げられる。") answers "what are…" questions
    // together with the list that follows.
    private const double LeadInBonus = 0.1;
    private const double FollowerBonus = 0.25;

    // What a sentence's headings or document say, and it does not, counts at this share.
    private const double ContextShare = 0.5;
    private const int UnknownRunLength = 3;
    private const double MissingValueCap = 0.2;

    // A list item whose label ("世帯で移住する場合：100万円以内") names what the question asks
    // about answers it on its own; a sentence about a sibling case (子ども when 世帯 was asked)
    // does not.
    private const double LabelShare = 0.5;
    private const double OtherCasePenalty = 0.15;

    public AnswerComposer() : this(new AnswerOptions())
    {
    }

    public AnswerOptions Options => options;

    public Answer Compose(string? question, SearchResult result)
    {
        var language = DetectLanguage(question ?? string.Empty);
        var confidence = Confidence(result);
        if (result.Hits.Count == 0 || confidence < options.DeclineThreshold)
        {
            return Decline(language, confidence);
        }

        var chosen = SelectSentences(result, result.Profile.ExpectedAnswer, language);
        if (chosen.Count == 0 || !Answers(question ?? string.Empty, result.Profile, chosen))
        {
            return Decline(language, Math.Min(confidence, options.DeclineThreshold / 2));
        }

        var citations = chosen
            .Select(c => new Citation(c.Hit.Passage.DocumentId, c.Hit.Passage.DocumentTitle, c.Heading, c.Hit.Passage.Metadata.AsOf, c.Hit.Passage.Metadata.Source, c.Hit.Passage.Id))
            .DistinctBy(c => (c.DocumentId, c.Section)).ToList();
        var sentences = chosen.Select(c => c.Text).ToList();
        return new Answer(Render(language, sentences, citations), false, confidence, language, sentences, citations);
    }

    // Features: how much of the question (weighted by rarity) the best passages contain, the
    // BM25 score relative to what the question could score, and the lead over the runner-up.
    public static double Confidence(SearchResult result)
    {
        var f = Features(result);
        var unknown = f.UnknownRun >= UnknownRunLength ? UnknownTermPenalty : f.UnknownRun == UnknownRunLength - 1 ? UnknownTermPenalty / 2 : 0;
        var confidence = Math.Clamp(CoverageWeight * f.Coverage + ScoreWeight * f.NormalisedScore + MarginWeight * f.Margin - unknown, 0, 1);

        // Asked for a figure (a price, a date) that none of the best passages holds: whatever
        // they say, they do not answer it.
        return f.MissingValue ? Math.Min(confidence, MissingValueCap) : confidence;
    }

    public static ConfidenceFeatures Features(SearchResult result)
    {
        if (result.Hits.Count == 0 || result.Profile.IsEmpty)
        {
            return new ConfidenceFeatures(0, 0, 0, 0);
        }

        var profile = result.Profile;
        var coverage = result.Hits.Take(3).Max(h => profile.Coverage(PassageTerms(profile, h.Passage)));
        var top = result.Hits.Max(h => h.Score);
        var normalisedScore = Math.Min(1, top / (1.2 * profile.TotalWeight));
        var lead = result.Hits[0].RankScore;
        var margin = result.Hits.Count > 1 && lead > 0 ? Math.Max(0, lead - result.Hits[1].RankScore) / lead : 1;
        var missing = profile.ExpectedAnswer is { } expected && AnswerType.IsFigure(expected)
            && !result.Hits.Take(3).Any(h => expected.IsMatch(h.Passage.Text));
        return new ConfidenceFeatures(coverage, normalisedScore, margin, profile.UnknownRun, missing);
    }

    // Near-domain questions the sources do not answer: a figure asked for that none of the chosen
    // sentences holds (another prefecture's amount), or a place the question names that the
    // documents quoted never mention (a deadline "in 長野県" answered from the national rules).
    private static bool Answers(string question, QueryProfile profile, List<Candidate> chosen)
    {
        if (profile.ExpectedAnswer is { } expected && AnswerType.IsFigure(expected) && !chosen.Any(c => expected.IsMatch(c.Text)))
        {
            return false;
        }

        var documents = chosen.Select(c => c.Hit.Passage.DocumentId).Distinct().ToList();
        foreach (Match place in PlaceName().Matches(JapaneseText.Normalize(question)))
        {
            var name = place.Value;
            if (GenericPlace().IsMatch(name))
            {
                continue;
            }

            var terms = profile.TermSet(name);
            if (terms.Count > 0 && !documents.Any(d => profile.DocumentTerms(d) is var known && terms.All(known.Contains)))
            {
                return false;
            }
        }

        return true;
    }

    // English when the question is mostly English, even if it quotes a Japanese term.
    public static string DetectLanguage(string question) => TextLanguage.Detect(question);

    private static IReadOnlySet<string> PassageTerms(QueryProfile profile, Passage passage) =>
        profile.TermSet(IndexSnapshot.ContextOf(passage) + "\n" + passage.Text);

    private List<Candidate> SelectSentences(SearchResult result, Regex? expected, string language)
    {
        var profile = result.Profile;
        var candidates = new List<Candidate>();
        var lead = Math.Max(result.Hits[0].RankScore, 1e-9);

        // The best passages written in the question's language are read first (an article's
        // Japanese body for a Japanese question, its English summary for an English one); when
        // the question asks for a kind of value (a date, a count), lower hits that hold one are
        // read too.
        var readable = result.Hits.Where(h => TextLanguage.Detect(h.Passage.Text) == language).ToList();
        var considered = (readable.Count > 0 ? readable : result.Hits).Take(options.PassagesConsidered).ToList();
        var hits = considered
            .Concat(result.Hits.Except(considered).Where(h => expected?.IsMatch(h.Passage.Text) == true));
        foreach (var hit in hits)
        {
            // A sentence is read under its headings: what they say counts, at half weight.
            var heading = hit.Passage.Heading;
            var context = profile.TermSet(IndexSnapshot.ContextOf(hit.Passage));
            var document = profile.DocumentTerms(hit.Passage.DocumentId);
            var spans = Sentences.Split(hit.Passage.Text);
            var unmarkedList = false;
            for (var i = 0; i < spans.Count; i++)
            {
                var text = hit.Passage.Text[spans[i].Start..spans[i].End];

                // A passage running over a section boundary holds the next heading as a line of
                // its own: it says what the following sentences are about; it is not an answer.
                // After a lead-in whose list has no bullets (PDF text), short lines are the items.
                unmarkedList = unmarkedList && !Headings.IsListItem(text);
                if (i > 0 && !unmarkedList && StartsLine(hit.Passage.Text, spans[i].Start) && IsHeadingLine(text))
                {
                    heading = text.Trim();
                    context = profile.TermSet(hit.Passage.DocumentTitle + "\n" + heading);
                    continue;
                }

                unmarkedList |= LeadIn().IsMatch(text);
                var terms = profile.TermSet(text);
                var covered = profile.Concepts.Where(c => c.IsCoveredBy(terms)).ToHashSet();
                var fromContext = profile.Concepts.Where(c => !covered.Contains(c) && (c.IsCoveredBy(context) || c.IsCoveredBy(document))).Sum(c => c.Weight) / profile.TotalWeight;
                var label = ListLabel().Match(text) is { Success: true } m ? profile.TermSet(m.Groups[1].Value) : null;
                candidates.Add(new Candidate(hit, i, text, covered, fromContext * ContextShare, hit.RankScore / lead)
                {
                    Heading = heading,
                    Language = TextLanguage.Detect(text),
                    IsListItem = Headings.IsListItem(text),
                    LabelCovered = label is null ? [] : covered.Where(c => c.IsCoveredBy(label)).ToHashSet(),
                    OtherCase = profile.Qualifiers.Any(q => !q.NamedIn(terms) && q.OtherNamedIn(terms)),
                });
            }
        }

        // Sentences in the question's language win whenever one of them touches the question;
        // the other language is the fallback.
        if (candidates.Any(c => c.Language == language && c.Covered.Count > 0))
        {
            candidates.RemoveAll(c => c.Language != language);
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        // Concepts most candidate sentences share (the topic: "二地域居住") say little about which
        // sentence answers; concepts few sentences hold (the asked detail) say more.
        var local = profile.Concepts.ToDictionary(c => c, c =>
        {
            var n = candidates.Count(x => x.Covered.Contains(c));
            return c.DetailWeight * Math.Log(1 + (double)candidates.Count / (1 + n));
        });
        var localTotal = Math.Max(local.Values.Sum(), 1e-9);

        double Gain(Candidate c, HashSet<QueryConcept> have) =>
            c.Covered.Where(k => !have.Contains(k)).Sum(k => local[k]) / localTotal;

        double Own(Candidate c) => c.Covered.Sum(k => local[k]) / localTotal;

        double Label(Candidate c) => c.LabelCovered.Sum(k => local[k]) / localTotal;

        // Passages ranked higher lend their sentences weight; fragments (headings, table cells)
        // lose some; a sentence repeating what is already chosen gains little.
        double Score(Candidate c, HashSet<QueryConcept> have) =>
            0.5 * Gain(c, have) + 0.5 * Own(c) + c.ContextGain + PassagePrior * c.PassageScore
            + (expected?.IsMatch(c.Text) == true ? AnswerTypeBonus : 0)
            + (LeadIn().IsMatch(c.Text) && Next(candidates, c) is not null ? LeadInBonus : 0)
            + LabelShare * Label(c) - (c.OtherCase ? OtherCasePenalty : 0)
            - (c.Text.Length < ShortSentence && !c.IsListItem ? 0.1 : 0) - (c.Text.Length > options.MaxChars * 2 ? 0.2 : 0);

        var have = new HashSet<QueryConcept>();
        var best = candidates.MaxBy(c => Score(c, have))!;
        var chosen = new List<Candidate> { best };
        have.UnionWith(best.Covered);
        var length = best.Text.Length;

        // A list item chosen on its own keeps the sentence that introduces its list.
        if (best.IsListItem && LeadInOf(candidates, best) is { } intro && length + intro.Text.Length <= options.MaxChars)
        {
            chosen.Add(intro);
            length += intro.Text.Length;
        }

        // A heading-like fragment or a lead-in ("以下が挙げられる。", "次のとおり:") needs what
        // follows it; list items after a lead-in are short and do not count as sentences.
        var last = best;
        var leadIn = LeadIn().IsMatch(best.Text);
        while ((last.Text.Length < ShortSentence || last.Text.EndsWith(':') || length < MinBody || leadIn)
               && chosen.Count(c => c.Text.Length >= ShortSentence) < options.MaxSentences)
        {
            var next = Next(candidates, last);
            if (next is null || length + next.Text.Length > options.MaxChars)
            {
                break;
            }

            chosen.Add(next);
            have.UnionWith(next.Covered);
            length += next.Text.Length;
            last = next;
        }

        // Fill the remaining room with the next most useful sentences of the same document or the
        // top passage; the sentence right after the chosen ones often finishes their thought
        // ("…のこと。「社会関係資本」とも…"), so it may come in without query words of its own.
        while (chosen.Count < options.MaxSentences)
        {
            var follower = Next(candidates, last);
            var add = candidates
                .Where(c => !chosen.Contains(c) && (c.Hit.Passage.DocumentId == best.Hit.Passage.DocumentId || c.Hit.Rank == 1) && length + c.Text.Length <= options.MaxChars
                    && ((c.Text.Length >= ShortSentence && Own(c) >= MinGain) || c == follower))
                .MaxBy(c => Score(c, have) + (c == follower ? FollowerBonus : 0));
            if (add is null)
            {
                break;
            }

            chosen.Add(add);
            have.UnionWith(add.Covered);
            length += add.Text.Length;
            if (add == follower)
            {
                last = add;
            }
        }

        // Read in source order, not in order of relevance; a lead-in, a heading fragment or a
        // list item stays on the same entry as its neighbour so an entry reads as one statement.
        var ordered = chosen.OrderBy(c => c.Hit.Passage.Start).ThenBy(c => c.Index).ToList();
        var entries = new List<Candidate>();
        foreach (var c in ordered)
        {
            var previous = entries.Count > 0 ? entries[^1] : null;
            var joins = previous is not null && previous.Hit == c.Hit && previous.Index + previous.Span == c.Index
                && (c.Text.Length < ShortSentence || previous.Text.Length < ShortSentence || previous.Text.EndsWith(':') || LeadIn().IsMatch(previous.Text));
            if (joins)
            {
                entries[^1] = previous! with { Text = previous.Text + "\n" + c.Text, Span = previous.Span + 1 };
            }
            else
            {
                entries.Add(c);
            }
        }

        return entries.Take(options.MaxSentences).Select(c => c with { Text = Trim(c.Text) }).ToList();
    }

    private static Candidate? Next(List<Candidate> candidates, Candidate c) =>
        candidates.FirstOrDefault(x => x.Hit == c.Hit && x.Index == c.Index + 1);

    private static Candidate? LeadInOf(List<Candidate> candidates, Candidate item)
    {
        var previous = candidates.FirstOrDefault(x => x.Hit == item.Hit && x.Index == item.Index - 1);
        while (previous is { IsListItem: true })
        {
            previous = candidates.FirstOrDefault(x => x.Hit == item.Hit && x.Index == previous.Index - 1);
        }

        return previous is not null && (LeadIn().IsMatch(previous.Text) || previous.Text.TrimEnd().EndsWith(':')) ? previous : null;
    }

    // The last sentence of a paragraph ("…もらえます。登録者は約2万2千人") is not a heading line.
    private static bool StartsLine(string text, int start)
    {
        var i = start - 1;
        while (i >= 0 && text[i] is ' ' or '\t')
        {
            i--;
        }

        return i < 0 || text[i] == '\n';
    }

    // Short, unpunctuated and not a list item: a heading ("子育て加算", "手続きの流れ(一般的な例)").
    private static bool IsHeadingLine(string text)
    {
        var t = text.Trim();
        return t.Length is > 0 and < ShortSentence && !Headings.IsListItem(t) && !Headings.EndsSentence(t)
            && !t.EndsWith(':') && !t.Contains(':') && TextLanguage.Detect(t) == TextLanguage.Japanese;
    }

    private string Trim(string sentence) =>
        sentence.Length <= options.MaxChars * 2 ? sentence : sentence[..(options.MaxChars * 2)] + "…";

    private static string Render(string language, List<string> sentences, List<Citation> citations)
    {
        var sb = new StringBuilder();
        if (language == "en" && sentences.Any(s => TextLanguage.Detect(s) == TextLanguage.Japanese))
        {
            sb.Append("Here is what the source says (in Japanese):\n");
        }

        foreach (var sentence in sentences)
        {
            sb.Append(sentence.TrimStart('・', ' ')).Append('\n');
        }

        sb.Append(language == "en" ? "Source: " : "出典: ");
        sb.Append(string.Join(language == "en" ? "; " : "／", citations.Select(c => FormatCitation(language, c))));
        return sb.ToString();
    }

    private static string FormatCitation(string language, Citation c)
    {
        var parts = new List<string> { c.Title };
        if (c.Section.Length > 0 && c.Section != c.Title)
        {
            parts.Add(language == "en" ? $"section \"{c.Section}\"" : $"「{c.Section}」");
        }

        if (c.AsOf is { } asOf)
        {
            parts.Add(language == "en"
                ? $"as of {asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
                : $"{asOf.Year}年{asOf.Month}月{asOf.Day}日時点");
        }

        if (!string.IsNullOrEmpty(c.Source))
        {
            parts.Add(c.Source);
        }

        return string.Join(language == "en" ? ", " : "、", parts);
    }

    private static Answer Decline(string language, double confidence)
    {
        var text = language == "en"
            ? "Sorry, I could not find reliable information to answer that. I can put you in touch with one of our coordinators if you would like."
            : "申し訳ありません。その質問にお答えできる確かな情報が見つかりませんでした。ご希望でしたら、担当のコーディネーターにおつなぎします。";
        return new Answer(text, true, confidence, language, [], []);
    }

    [GeneratedRegex(@"(以下|次)の(とおり|通り|ような|もの|どれか|どちらか|\d)|以下が|以下に|次が|as follows|the following")]
    private static partial Regex LeadIn();

    // A kanji name ending in a municipality or prefecture suffix: 長野県, 厚沢部町, 山県市.
    [GeneratedRegex(@"(?<![\p{IsCJKUnifiedIdeographs}々])[\p{IsCJKUnifiedIdeographs}々]{1,5}[県市町村府](?![\p{IsCJKUnifiedIdeographs}々])")]
    private static partial Regex PlaceName();

    // Not a name: "市町村", "都道府県", "他県", "各市", "同町".
    [GeneratedRegex(@"都道府|市町村|市区町村|町村|^[他別同各本当全両隣近県市町村]")]
    private static partial Regex GenericPlace();

    // The label of a "・label：value" list item (the text is NFKC, so "：" reads ":").
    [GeneratedRegex(@"^\s*[・•\-*]\s*([^:]{1,30}):")]
    private static partial Regex ListLabel();

    private sealed record Candidate(SearchHit Hit, int Index, string Text, HashSet<QueryConcept> Covered, double ContextGain, double PassageScore)
    {
        public int Span { get; init; } = 1;

        public string Heading { get; init; } = string.Empty;

        public string Language { get; init; } = TextLanguage.Japanese;

        public bool IsListItem { get; init; }

        public HashSet<QueryConcept> LabelCovered { get; init; } = [];

        public bool OtherCase { get; init; }
    }
}
