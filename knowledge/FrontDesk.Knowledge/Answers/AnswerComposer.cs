using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FrontDesk.Knowledge.Ingestion;
using FrontDesk.Knowledge.Search;
using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Answers;

// Extractive answers: the source's own sentences, so figures and names are never rephrased,
// plus where they came from. The sentences are chosen for the kind of fact asked (AnswerType);
// whether to answer at all is the gate's decision over retrieval and answer features (AnswerGate).
public sealed partial class AnswerComposer(AnswerOptions options)
{
    private const double MinGain = 0.05;
    private const int ShortSentence = 25;
    private const int MinBody = 40;
    private const double PassagePrior = 0.3;

    // A sentence holding the kind of value asked for (the amount, the period, the definition).
    private const double AnswerTypeBonus = 0.3;
    private const double WeakTypeBonus = 0.15;
    private const double HeadingTypeBonus = 0.12;

    // A value as it was earlier ("2022年度の時点では…でした") may follow the current one, never replace it.
    private const double HistoricalPenalty = 0.3;

    // A sentence introducing a list ("主なものとして以下が挙げられる。") answers "what are…" questions
    // together with the list that follows.
    private const double LeadInBonus = 0.1;
    private const double FollowerBonus = 0.25;

    // What a sentence's headings or document say, and it does not, counts at this share.
    private const double ContextShare = 0.5;
    private const double DocumentShare = 0.6;

    // A list item whose label ("世帯で移住する場合：100万円以内") names what the question asks
    // about answers it on its own; a sentence about a sibling case (子ども when 世帯 was asked)
    // does not.
    private const double LabelShare = 0.5;
    private const double OtherCasePenalty = 0.15;

    private const double NoiseShare = 0.02;
    private const double RepeatShare = 0.85;

    // "くわしくは「…」の記事をご覧ください", "…をまとめています": where to read more or what an
    // article covers, never the answer itself.
    private const double PointerPenalty = 0.3;

    // A nested list item is printed under its parent, one full-width space in.
    private const string Indent = "\u3000";

    public AnswerComposer() : this(new AnswerOptions())
    {
    }

    public AnswerOptions Options => options;

    public Answer Compose(string? question, SearchResult result)
    {
        var text = JapaneseText.Normalize(result.Question is { Length: > 0 } searched ? searched : question ?? string.Empty);
        var language = DetectLanguage(text);
        if (result.Hits.Count == 0 || result.Profile.IsEmpty)
        {
            return Decline(language, 0, default);
        }

        var kind = AnswerType.Classify(text);
        var chosen = SelectSentences(text, result, kind, language);
        var features = GateFeatures(text, kind, result, chosen);
        var confidence = AnswerGate.Probability(features);
        // An amount, a count or a date asked for and none in the sentences: whatever they say, it is not the answer.
        // Nor is an English summary for a Japanese question: no Japanese sentence said anything of it.
        if (chosen.Count == 0 || confidence < options.DeclineThreshold || features.FigureMissing > 0
            || (language == TextLanguage.Japanese && chosen.All(c => c.Language != TextLanguage.Japanese)))
        {
            return Decline(language, confidence, features);
        }

        var citations = chosen
            .Select(c => new Citation(c.Hit.Passage.DocumentId, c.Hit.Passage.DocumentTitle, c.Heading, c.Hit.Passage.Metadata.AsOf, c.Hit.Passage.Metadata.Source, c.Hit.Passage.Id))
            .DistinctBy(c => (c.DocumentId, c.Section)).ToList();
        var lines = chosen.SelectMany(c => c.Text.Split('\n')).ToList();
        return new Answer(Render(language, lines, citations), false, confidence, language, lines, citations) { Features = features, Kind = kind };
    }

    // Retrieval features: how much of the question (weighted by rarity) the best passages contain,
    // the BM25 score relative to what the question could score, and the lead over the runner-up.
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

    // English when the question is mostly English, even if it quotes a Japanese term.
    public static string DetectLanguage(string question) => TextLanguage.Detect(question);

    private static GateFeatures GateFeatures(string question, AnswerKind kind, SearchResult result, List<Candidate> chosen)
    {
        var retrieval = Features(result);
        var profile = result.Profile;
        var lead = Math.Max(result.Hits[0].RankScore, 1e-9);
        var nextDocument = result.Hits.Skip(1).FirstOrDefault(h => h.DocumentId != result.Hits[0].DocumentId);
        var documentGap = nextDocument is null ? 1 : Math.Max(0, lead - nextDocument.RankScore) / lead;

        // How much of the question the chosen sentences answer, read under their headings.
        var quoted = chosen
            .SelectMany(c => profile.TermSet(c.Text).Concat(profile.TermSet(IndexSnapshot.ContextOf(c.Hit.Passage))))
            .ToHashSet();
        var answered = chosen.Count == 0 ? 0 : profile.Coverage(quoted);

        var typed = chosen.Any(c => c.TypeMatch) ? 1 : 0;
        return new GateFeatures(
            retrieval.Coverage,
            answered,
            Math.Min(1, answered / Math.Max(retrieval.Coverage, 0.05)),
            typed,
            retrieval.NormalisedScore,
            documentGap,
            Math.Min(profile.UnknownRun, 3) / 3.0,
            AnswerType.IsFigure(kind) && typed == 0 ? 1 : 0,
            !AnswerType.IsFigure(kind) && kind != AnswerKind.Other && typed == 0 ? 1 : 0,
            chosen.Count > 0 && !NamesKnownPlaces(question, profile, chosen) ? 1 : 0,
            AsksForCurrentState(question) ? 1 : 0,
            result.FieldAgreement ?? 1);
    }

    // A place the question names must be one the documents quoted mention (a deadline "in
    // 長野県" answered from the national rules is not an answer).
    private static bool NamesKnownPlaces(string question, QueryProfile profile, List<Candidate> chosen)
    {
        var documents = chosen.Select(c => c.Hit.Passage.DocumentId).Distinct().ToList();
        foreach (Match place in PlaceName().Matches(question))
        {
            if (GenericPlace().IsMatch(place.Value))
            {
                continue;
            }

            var terms = profile.TermSet(place.Value);
            if (terms.Count > 0 && !documents.Any(d => profile.DocumentTerms(d) is var known && terms.All(known.Contains)))
            {
                return false;
            }
        }

        return true;
    }

    // "今度の移住フェア", "来月の空き", "今年の締切": the state of things now or soon, which a
    // reference article seldom holds.
    private static bool AsksForCurrentState(string question) => CurrentState().IsMatch(question);

    private static IReadOnlySet<string> PassageTerms(QueryProfile profile, Passage passage) =>
        profile.TermSet(IndexSnapshot.ContextOf(passage) + "\n" + passage.Text);

    private List<Candidate> SelectSentences(string question, SearchResult result, AnswerKind kind, string language)
    {
        var profile = result.Profile;
        var expected = profile.ExpectedAnswer;
        var candidates = Candidates(question, result, kind, language);
        if (candidates.Count == 0)
        {
            return [];
        }

        // Concepts most candidate sentences share (the topic: "二地域居住") say little about which
        // sentence answers; concepts few sentences hold (the asked detail) say more.
        // Grammar a bigram caught ("てい" of 「っていくら」) weighs next to nothing in the question; it
        // must not decide between sentences either.
        var heaviest = profile.Concepts.Count == 0 ? 0 : profile.Concepts.Max(c => c.Weight);
        var local = profile.Concepts.ToDictionary(c => c, c =>
        {
            if (c.Weight < NoiseShare * heaviest)
            {
                return 0;
            }

            var n = candidates.Count(x => x.Covered.Contains(c));
            return c.DetailWeight * Math.Log(1 + (double)candidates.Count / (1 + n));
        });
        var localTotal = Math.Max(local.Values.Sum(), 1e-9);
        var at = new Positions(candidates);

        double Gain(Candidate c, HashSet<QueryConcept> have) =>
            c.Covered.Where(k => !have.Contains(k)).Sum(k => local[k]) / localTotal;

        double Own(Candidate c) => c.Covered.Sum(k => local[k]) / localTotal;

        double Label(Candidate c) => c.LabelCovered.Sum(k => local[k]) / localTotal;

        // A sentence is read under its headings: what they say counts at ContextShare, what
        // only the document says elsewhere at a share of that; in the same local weights as
        // the sentence's own words, so saying the asked detail always beats inheriting it.
        double Context(Candidate c) =>
            ContextShare * (c.FromHeading.Sum(k => local[k]) + DocumentShare * c.FromDocument.Sum(k => local[k])) / localTotal;

        // Passages ranked higher lend their sentences weight; fragments (headings, table cells)
        // lose some; a sentence repeating what is already chosen gains little.
        double Score(Candidate c, HashSet<QueryConcept> have) =>
            0.5 * Gain(c, have) + 0.5 * Own(c) + Context(c) + PassagePrior * c.PassageScore
            + TypeBonus(kind, c) * (c.Covered.Count > 0 || c.FromHeading.Count > 0 ? 1 : 0.5) - (c.Historical ? HistoricalPenalty : 0)
            + (AnswerType.HeadingSuits(kind, c.Heading) || AnswerType.HeadingSuits(kind, c.Label) ? HeadingTypeBonus : 0)
            + (c.Announces && !AnswerType.IsFigure(kind) && at.Next(c) is not null ? LeadInBonus : 0)
            + LabelShare * Label(c) - (c.OtherCase || c.Sibling ? OtherCasePenalty : 0) - (c.Pointer ? PointerPenalty : 0)
            - (c.Text.Length < ShortSentence && !Headings.EndsSentence(c.Text) && !(c.IsListItem && at.LeadInOf(c) is not null) ? 0.1 : 0)
            - (c.Text.Length > options.MaxChars * 2 ? 0.2 : 0);

        // A figure question is answered by a sentence holding the figure whenever one on topic
        // does; the others only when none does (and then the gate sees the figure missing).
        var have = new HashSet<QueryConcept>();
        var typed = candidates.Where(c => c.TypeMatch && (c.Covered.Count > 0 || c.FromHeading.Count > 0)).ToList();
        var pool = (AnswerType.IsFigure(kind) || kind == AnswerKind.Place) && typed.Count > 0 ? typed : candidates;
        var best = pool.MaxBy(c => Score(c, have))!;
        var chosen = new List<Candidate> { best };
        have.UnionWith(best.Covered);
        var length = best.Text.Length;
        var seen = new HashSet<string> { JapaneseText.Compact(best.Text) };

        var said = new List<IReadOnlySet<string>> { profile.TermSet(best.Text) };

        // Saying the same thing twice: a second definition of the asked term, or a sentence most of
        // whose words an earlier one already said (list items are siblings, not repeats).
        bool Repeats(Candidate c)
        {
            if (kind == AnswerKind.Definition && c.TypeMatch && chosen.Any(x => x.TypeMatch))
            {
                return true;
            }

            if (c.IsListItem || c.Text.Length < ShortSentence)
            {
                return false;
            }

            var terms = profile.TermSet(c.Text);
            return terms.Count > 0 && said.Any(s => (double)terms.Count(s.Contains) / terms.Count >= RepeatShare);
        }

        bool Add(Candidate c)
        {
            if (Repeats(c) || !seen.Add(JapaneseText.Compact(c.Text)))
            {
                return false;
            }

            said.Add(profile.TermSet(c.Text));

            chosen.Add(c);
            have.UnionWith(c.Covered);
            length += c.Text.Length;
            return true;
        }

        // A list item keeps the sentence that introduces its list; a question for a list, its
        // conditions or its steps gets the whole list.
        var wantsList = kind is AnswerKind.List or AnswerKind.Condition or AnswerKind.Procedure;
        var intro = best.IsListItem ? at.LeadInOf(best) : best.IsLeadIn ? best : null;
        if (intro is { Announces: false } && !wantsList)
        {
            intro = null;
        }

        if (intro is not null && intro != best && length + intro.Text.Length <= options.MaxChars)
        {
            Add(intro);
        }

        if (intro is not null && (wantsList || best.Announces))
        {
            foreach (var item in at.ItemsOf(intro))
            {
                if (length + item.Text.Length > options.MaxListChars)
                {
                    break;
                }

                Add(item);
            }
        }

        // A heading-like fragment needs what follows it.
        var last = chosen.MaxBy(c => c.Index)!;
        while ((last.Text.Length < ShortSentence || last.Text.EndsWith(':') || length < MinBody) && !last.IsListItem
               && chosen.Count(c => c.Text.Length >= ShortSentence) < options.MaxSentences)
        {
            var next = at.Next(last);
            if (next is null || length + next.Text.Length > options.MaxChars || !Add(next))
            {
                break;
            }

            last = next;
        }

        // Fill the remaining room with the next most useful sentences of the same document or the
        // top passage (for a definition, of its own passage: facts about the term are not what it
        // is); the sentence right after the chosen ones often finishes their thought
        // ("…のこと。「社会関係資本」とも…"), so it may come in without query words of its own.
        while (Entries(chosen, best.Hit.Passage.DocumentId).Count < options.MaxSentences)
        {
            bool Follows(Candidate c) => at.Previous(c) is { } p && chosen.Contains(p);
            var add = candidates
                .Where(c => !chosen.Contains(c) && !seen.Contains(JapaneseText.Compact(c.Text)) && !Repeats(c)
                    && (kind == AnswerKind.Definition && best.TypeMatch ? ReferenceEquals(c.Hit, best.Hit) : c.Hit.Passage.DocumentId == best.Hit.Passage.DocumentId || c.Hit.Rank == 1)
                    && length + c.Text.Length <= options.MaxChars
                    && ((c.Text.Length >= ShortSentence && Own(c) >= MinGain) || (Follows(c) && !c.OtherCase))
                    && !(c.IsListItem && !chosen.Contains(at.LeadInOf(c) ?? c) && !Follows(c)))
                .MaxBy(c => Score(c, have) + (Follows(c) && !c.OtherCase ? FollowerBonus : 0));
            if (add is null || !Add(add))
            {
                break;
            }

            // A lead-in brought in to fill ("運営は、次の2社です。") brings its list.
            if (add.Announces)
            {
                foreach (var item in at.ItemsOf(add).ToList())
                {
                    if (length + item.Text.Length > options.MaxListChars)
                    {
                        break;
                    }

                    Add(item);
                }
            }
        }

        return Entries(chosen, best.Hit.Passage.DocumentId).Take(options.MaxSentences).Select(c => c with { Text = Trim(c.Text) }).ToList();
    }

    // Read in source order, not in order of relevance; a lead-in and its list items, or a
    // heading fragment and its sentence, make one entry. A value as it was earlier comes after
    // the current one.
    private static List<Candidate> Entries(List<Candidate> chosen, string? first = null)
    {
        var ordered = chosen.OrderBy(c => c.Historical).ThenBy(c => c.Pointer)
            .ThenBy(c => c.Hit.Passage.DocumentId != first).ThenBy(c => c.Hit.Passage.Start).ThenBy(c => c.Index).ToList();
        var entries = new List<Candidate>();
        foreach (var c in ordered)
        {
            var previous = entries.Count > 0 ? entries[^1] : null;
            var joins = previous is not null && ReferenceEquals(previous.Hit, c.Hit) && previous.Index + previous.Span == c.Index
                && (c.IsListItem || c.Text.Length < ShortSentence || previous.Text.Length < ShortSentence || previous.Text.EndsWith(':') || previous.IsLeadIn);
            if (joins)
            {
                entries[^1] = previous! with { Text = previous.Text + "\n" + c.Text, Span = previous.Span + 1, TypeMatch = previous.TypeMatch || c.TypeMatch };
            }
            else
            {
                entries.Add(c);
            }
        }

        return entries;
    }

    private static double TypeBonus(AnswerKind kind, Candidate c) => !c.TypeMatch ? 0 : kind switch
    {
        AnswerKind.Amount or AnswerKind.Number or AnswerKind.Date or AnswerKind.Deadline or AnswerKind.Place or AnswerKind.Definition => AnswerTypeBonus,
        _ => WeakTypeBonus,
    };

    // Every sentence of the best passages in the question's language (the others as fallback),
    // list items whole, read under their headings.
    private List<Candidate> Candidates(string question, SearchResult result, AnswerKind kind, string language)
    {
        var profile = result.Profile;
        var expected = profile.ExpectedAnswer;
        var candidates = new List<Candidate>();
        var lead = Math.Max(result.Hits[0].RankScore, 1e-9);
        var topic = profile.Concepts.Count == 0 ? null : profile.Concepts.MaxBy(c => c.Weight);
        var normalized = JapaneseText.Normalize(question);
        var names = Compound().Matches(normalized).Select(m => m.Value).Where(n => n.Length >= 4).ToList();

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
            var passage = hit.Passage.Text;
            var heading = hit.Passage.Heading;
            var context = profile.TermSet(IndexSnapshot.ContextOf(hit.Passage));
            var document = profile.DocumentTerms(hit.Passage.DocumentId);
            var spans = Sentences.Split(passage);
            var unmarkedList = false;
            var index = 0;
            for (var i = 0; i < spans.Count; i++, index++)
            {
                var start = spans[i].Start;
                var end = spans[i].End;
                var lineStart = StartsLine(passage, start);
                var marked = lineStart && ListMarker().IsMatch(passage[start..end]);

                // A list item is one line, whatever its punctuation ("・…住んでいた人。または、…").
                while (marked && i + 1 < spans.Count && !StartsLine(passage, spans[i + 1].Start))
                {
                    end = spans[++i].End;
                }

                var text = passage[start..end];

                // A passage running over a section boundary holds the next heading as a line of
                // its own: it says what the following sentences are about; it is not an answer.
                // After a lead-in whose list has no bullets (PDF text), short lines are the items.
                unmarkedList = unmarkedList && !marked;
                if (i > 0 && !unmarkedList && lineStart && IsHeadingLine(text))
                {
                    heading = text.Trim();
                    context = profile.TermSet(hit.Passage.DocumentTitle + "\n" + heading);
                    continue;
                }

                var isItem = marked || (unmarkedList && lineStart && text.Length < options.MaxChars / 2);
                unmarkedList |= LeadIn().IsMatch(text);
                var depth = marked ? IndentOf(passage, start) : 0;
                var terms = profile.TermSet(text);
                var covered = profile.Concepts.Where(c => c.IsCoveredBy(terms)).ToHashSet();
                var fromHeading = profile.Concepts.Where(c => !covered.Contains(c) && c.IsCoveredBy(context)).ToHashSet();
                var fromDocument = profile.Concepts.Where(c => !covered.Contains(c) && !fromHeading.Contains(c) && c.IsCoveredBy(document)).ToHashSet();
                // The label counts when the value after it is what was asked ("…場合:100万円以内"),
                // not when the label holds the figure and the value another ("申請日から1年以内に…:全額").
                var labelled = ListLabel().Match(text);
                var label = labelled.Success && !(AnswerType.IsFigure(kind) && expected?.IsMatch(text[labelled.Length..]) != true)
                    ? profile.TermSet(labelled.Groups[1].Value) : null;
                var display = depth > 0 ? Indent + text.TrimStart() : text.Trim();
                candidates.Add(new Candidate(hit, index, display, covered, fromHeading, fromDocument, hit.RankScore / lead)
                {
                    Heading = heading,
                    Language = TextLanguage.Detect(text),
                    IsListItem = isItem,
                    Depth = depth,
                    Announces = LeadIn().IsMatch(text) || text.TrimEnd().EndsWith(':'),
                    Label = labelled.Success ? labelled.Groups[1].Value : string.Empty,
                    LabelCovered = label is null ? [] : covered.Where(c => c.IsCoveredBy(label)).ToHashSet(),
                    OtherCase = profile.Qualifiers.Any(q => !q.NamedIn(terms) && q.OtherNamedIn(terms)),
                    Sibling = NamesSibling(names, text, normalized),
                    Historical = Historical().IsMatch(text),
                    Pointer = Pointer().IsMatch(text),
                    TypeMatch = HoldsType(kind, expected, text, topic is not null && covered.Contains(topic)),
                });
            }
        }

        // A sentence directly before a list introduces it ("おおまかには、次の両方にあてはまる人が対象です。").
        for (var i = 0; i + 1 < candidates.Count; i++)
        {
            var (c, n) = (candidates[i], candidates[i + 1]);
            if (!c.IsListItem && n.IsListItem && ReferenceEquals(n.Hit, c.Hit) && n.Index == c.Index + 1)
            {
                candidates[i] = c with { Introduces = true, TypeMatch = c.TypeMatch || kind is AnswerKind.List or AnswerKind.Condition or AnswerKind.Procedure };
            }
        }

        // Passages overlap by a sentence: of two copies, the one followed by the rest of its
        // paragraph or list is kept, so no sentence is quoted twice and a lead-in keeps its items.
        var at = new Positions(candidates);
        foreach (var copies in candidates.GroupBy(c => JapaneseText.Compact(c.Text)).Where(g => g.Count() > 1).ToList())
        {
            var keep = copies.OrderByDescending(c => at.Next(c) is not null).ThenByDescending(c => c.PassageScore).First();
            candidates.RemoveAll(c => c != keep && copies.Contains(c, ReferenceEqualityComparer.Instance));
        }

        // Sentences in the question's language win whenever one of them touches the question;
        // the other language is the fallback.
        if (candidates.Any(c => c.Language == language && c.Covered.Count > 0))
        {
            candidates.RemoveAll(c => c.Language != language);
        }

        return candidates;
    }

    // Whether a sentence holds what the question asks for: the figure, a defining sentence about
    // the asked term, the body that does it, a list, a condition.
    private static bool HoldsType(AnswerKind kind, Regex? expected, string text, bool namesTopic) => kind switch
    {
        AnswerKind.Amount or AnswerKind.Number or AnswerKind.Date or AnswerKind.Deadline or AnswerKind.Place => expected?.IsMatch(text) == true,
        AnswerKind.Definition => namesTopic && AnswerType.IsDefinition(text),
        AnswerKind.Who => AnswerType.NamesBody(text),
        AnswerKind.List => ListMarker().IsMatch(text) || AnswerType.Enumerates(text),
        AnswerKind.Condition or AnswerKind.YesNo => AnswerType.StatesCondition(text),
        AnswerKind.Procedure => ListMarker().IsMatch(text) || ProcedureStep().IsMatch(text),
        _ => false,
    };

    // A sentence about a sibling of the thing asked, and not about it: 起業支援金 when 移住支援金
    // was asked (same head word, another kind).
    private static bool NamesSibling(List<string> names, string text, string question)
    {
        foreach (var name in names)
        {
            if (text.Contains(name, StringComparison.Ordinal))
            {
                return false;
            }

            // Not a sibling when the question names what sets it apart (起業 of 起業支援金).
            var head = name[^3..];
            if (Compound().Matches(text).Any(m => m.Value.Length > head.Length && m.Value.EndsWith(head, StringComparison.Ordinal)
                    && !question.Replace(name, string.Empty, StringComparison.Ordinal).Contains(m.Value[..^head.Length], StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    // Candidates by passage and position, for the sentence before or after one.
    private sealed class Positions(List<Candidate> candidates)
    {
        private readonly Dictionary<(string, int), Candidate> at = candidates
            .GroupBy(c => (c.Hit.PassageId, c.Index)).ToDictionary(g => g.Key, g => g.First());

        private readonly Dictionary<Candidate, Candidate?> leadIns = new(ReferenceEqualityComparer.Instance);

        public Candidate? Next(Candidate c) => at.GetValueOrDefault((c.Hit.PassageId, c.Index + 1));

        public Candidate? Previous(Candidate c) => at.GetValueOrDefault((c.Hit.PassageId, c.Index - 1));

        public Candidate? LeadInOf(Candidate item)
        {
            if (!leadIns.TryGetValue(item, out var found))
            {
                var previous = Previous(item);
                while (previous is { IsListItem: true })
                {
                    previous = Previous(previous);
                }

                leadIns[item] = found = previous is { IsLeadIn: true } ? previous : null;
            }

            return found;
        }

        // The list items right after a lead-in, nested ones included.
        public IEnumerable<Candidate> ItemsOf(Candidate intro)
        {
            for (var next = Next(intro); next is { IsListItem: true }; next = Next(next))
            {
                yield return next;
            }
        }
    }

    // The last sentence of a paragraph ("…もらえます。登録者は約2万2千人") is not a heading line.
    private static bool StartsLine(string text, int start)
    {
        var i = start - 1;
        while (i >= 0 && text[i] is ' ' or '\t' or '\u3000')
        {
            i--;
        }

        return i < 0 || text[i] == '\n';
    }

    // How far a list item is nested: the blanks before its marker on its line.
    private static int IndentOf(string text, int start)
    {
        var n = 0;
        for (var i = start - 1; i >= 0 && text[i] is ' ' or '\t' or '\u3000'; i--)
        {
            n++;
        }

        return n;
    }

    // Short, unpunctuated and not a list item: a heading ("子育て加算", "手続きの流れ(一般的な例)").
    private static bool IsHeadingLine(string text)
    {
        var t = text.Trim();
        return t.Length is > 0 and < ShortSentence && !Headings.IsListItem(t) && !ListMarker().IsMatch(t) && !Headings.EndsSentence(t)
            && !t.EndsWith(':') && !t.Contains(':') && TextLanguage.Detect(t) == TextLanguage.Japanese;
    }

    private string Trim(string sentence) =>
        sentence.Length <= options.MaxListChars * 2 ? sentence : sentence[..(options.MaxListChars * 2)] + "…";

    // One line per sentence or list item, as the source has it (markers and indentation kept).
    private static string Render(string language, List<string> lines, List<Citation> citations)
    {
        var sb = new StringBuilder();
        if (language == "en" && lines.Any(s => TextLanguage.Detect(s) == TextLanguage.Japanese))
        {
            sb.Append("Here is what the source says (in Japanese):\n");
        }

        foreach (var line in lines)
        {
            sb.Append(line).Append('\n');
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

        // Only a public address is shown; folder sources hold server paths.
        if (Uri.TryCreate(c.Source, UriKind.Absolute, out var url) && url.Scheme is "https" or "http")
        {
            parts.Add(c.Source!);
        }

        return string.Join(language == "en" ? ", " : "、", parts);
    }

    private static Answer Decline(string language, double confidence, GateFeatures features)
    {
        var text = language == "en"
            ? "Sorry, I could not find reliable information to answer that. I can put you in touch with one of our coordinators if you would like."
            : "申し訳ありません。その質問にお答えできる確かな情報が見つかりませんでした。ご希望でしたら、担当のコーディネーターにおつなぎします。";
        return new Answer(text, true, confidence, language, [], []) { Features = features };
    }

    [GeneratedRegex(@"(以下|次|下記)の(とおり|通り|ような|もの|どれか|どちらか|いずれか|両方|すべて|全て|\d|[一二三四五六七八九十]つ)|以下が|以下に|次が|as follows|the following")]
    private static partial Regex LeadIn();

    // A list item's marker after its indentation: ・, -, 1., 1), (1), ①.
    [GeneratedRegex(@"^[\s\u3000]*([・•\-*‐✓○◎※]|\d{1,2}[.)]|[(（]\d{1,2}[)）]|[①-⑳])")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"(申請|届け?出|提出|申し込|相談|登録|確認|承諾|協議)(する|します|して|を出す|る。|ます)|まず|次に|その後|最後に|\b(first|then|next|finally|apply|submit)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ProcedureStep();

    // A value as it was: "2022年度の時点では", "当初は", "…でした", "was … when introduced".
    [GeneratedRegex(@"時点で(は|の)|当初(は|の)|かつて|以前は|従来は|それまで(は|の)|当時|でした。?$|\b(was|were|used to)\b|when introduced")]
    private static partial Regex Historical();

    [GeneratedRegex(@"(くわしく|詳しく|詳細)は.{0,40}(ご覧|参照|確認して)|をご覧ください|の記事に(まとめ|あり|書い|載)|この記事|を?まとめ(ました|ています)|\b(see|refer to) the\b", RegexOptions.IgnoreCase)]
    private static partial Regex Pointer();

    // Asked about now or soon: 今度, 次回, 来月, 今年度, 空き, this summer, tomorrow, next fair.
    [GeneratedRegex(@"今度|次回|次の(開催|イベント|フェア|相談会|公募|募集|フォーラム|セミナー)|明日|あした|今日|きょう|今週|来週|今月|来月|今年|来年|今年度|来年度|この(夏|春|秋|冬)|今(夏|春|秋|冬)|最新|現在の|いまの|今の|空き(状況|枠|は|が|あり|って)|空いて|開催(日|場所)|会場|\b(upcoming|next|tomorrow|today|tonight|this (month|week|year|summer|spring|autumn|fall|winter)|currently|right now|latest|venue|free (slot|place)|available|availability|vacanc)", RegexOptions.IgnoreCase)]
    private static partial Regex CurrentState();

    // A run of kanji or katakana: a compound noun (移住支援金, デュアルスクール).
    [GeneratedRegex(@"[\p{IsCJKUnifiedIdeographs}々\p{IsKatakana}ー]+")]
    private static partial Regex Compound();

    // A kanji name ending in a municipality or prefecture suffix: 長野県, 厚沢部町, 山県市.
    [GeneratedRegex(@"(?<![\p{IsCJKUnifiedIdeographs}々])[\p{IsCJKUnifiedIdeographs}々]{1,5}[県市町村府](?![\p{IsCJKUnifiedIdeographs}々])")]
    private static partial Regex PlaceName();

    // Not a name: "市町村", "都道府県", "他県", "各市", "同町".
    [GeneratedRegex(@"都道府|市町村|市区町村|町村|^[他別同各本当全両隣近県市町村]")]
    private static partial Regex GenericPlace();

    // The label of a "・label：value" list item (the text is NFKC, so "：" reads ":").
    [GeneratedRegex(@"^\s*[・•\-*]\s*([^:]{1,30}):")]
    private static partial Regex ListLabel();

    // Compared by reference: two sentences are the same only if they are the same reading.
    // FromHeading / FromDocument: what the sentence's headings, or only its document elsewhere, say of the question.
    private sealed record Candidate(SearchHit Hit, int Index, string Text, HashSet<QueryConcept> Covered, HashSet<QueryConcept> FromHeading, HashSet<QueryConcept> FromDocument, double PassageScore)
    {
        public bool Equals(Candidate? other) => ReferenceEquals(this, other);

        public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

        public int Span { get; init; } = 1;

        public string Heading { get; init; } = string.Empty;

        public string Language { get; init; } = TextLanguage.Japanese;

        public bool IsListItem { get; init; }

        public int Depth { get; init; }

        // Announces a list ("次のとおりです。", "…:"); Introduces: stands right before one.
        public bool Announces { get; init; }

        public bool Introduces { get; init; }

        public bool IsLeadIn => Announces || Introduces;

        public string Label { get; init; } = string.Empty;

        public HashSet<QueryConcept> LabelCovered { get; init; } = [];

        public bool OtherCase { get; init; }

        public bool Sibling { get; init; }

        public bool Historical { get; init; }

        public bool Pointer { get; init; }

        public bool TypeMatch { get; init; }
    }
}
