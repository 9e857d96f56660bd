using System.Text.RegularExpressions;

namespace FrontDesk.Knowledge.Search;

// One thing the question asks about: a term, or a synonym group satisfied by any member.
// Partial credit: "オンラインによる行政手続" holds most of "オンライン手続き" but not the bigram
// across the join, and should still count.
public sealed record QueryConcept(IReadOnlyList<string[]> Alternatives, double Weight)
{
    private const double CoveredShare = 0.55;

    // What the concept weighs when choosing a sentence inside passages already on topic: a
    // kanji-hiragana word edge ("届け出", "申し込め") is weak evidence of topic but often the very
    // detail asked for.
    public double DetailWeight { get; init; } = Weight;

    // Squared, so a stray shared bigram ("めん" of "ラーメン" in "ガバメント") earns little.
    // Loops, not LINQ: re-ranking calls this for every concept of every pooled passage.
    public double CoverageBy(IReadOnlySet<string> terms)
    {
        var best = 0.0;
        foreach (var alternative in Alternatives)
        {
            if (alternative.Length == 0)
            {
                continue;
            }

            var found = 0;
            foreach (var term in alternative)
            {
                if (terms.Contains(term))
                {
                    found++;
                }
            }

            var share = (double)found / alternative.Length;
            best = Math.Max(best, share * share);
            if (best >= 1)
            {
                break;
            }
        }

        return best;
    }

    public bool IsCoveredBy(IReadOnlySet<string> terms) => CoverageBy(terms) >= CoveredShare;
}

// analyze is the index's own analyser, so texts are compared in the terms the index used.
// UnknownRun: the longest stretch of the question (in consecutive bigrams of kanji/katakana)
// that no indexed passage contains, e.g. a place or a measure the corpus never mentions.
public sealed class QueryProfile(
    IReadOnlyList<QueryConcept> concepts,
    Func<string, IEnumerable<string>> analyze,
    int unknownRun = 0,
    Func<string, IReadOnlySet<string>>? documentTerms = null,
    Regex? expectedAnswer = null,
    IReadOnlyList<Qualifier>? qualifiers = null)
{
    // Cases the question singles out (世帯 rather than 単身); see SynonymSet.
    public IReadOnlyList<Qualifier> Qualifiers { get; } = qualifiers ?? [];

    // The kind of value the question asks for (a date for "いつ"), if any; see AnswerType.
    public Regex? ExpectedAnswer { get; } = expectedAnswer;

    // Every term of a whole document, by document id (empty when unknown).
    public IReadOnlySet<string> DocumentTerms(string documentId) => documentTerms?.Invoke(documentId) ?? new HashSet<string>();

    public int UnknownRun { get; } = unknownRun;

    public IReadOnlyList<QueryConcept> Concepts { get; } = concepts;

    public double TotalWeight { get; } = concepts.Sum(c => c.Weight);

    public bool IsEmpty => TotalWeight <= 0;

    // Share of the question's weight (rare terms count most) that a text contains.
    public double Coverage(string text) => Coverage(TermSet(text));

    public double Coverage(IReadOnlySet<string> terms) =>
        IsEmpty ? 0 : Concepts.Sum(c => c.Weight * c.CoverageBy(terms)) / TotalWeight;

    // A passage inherits its document's topic at a discount: a question naming the publisher
    // ("知事会は…") should not favour the one paragraph that repeats the name.
    public double Coverage(IReadOnlySet<string> terms, IReadOnlySet<string> inherited, double discount) =>
        Coverage(terms, ConceptCoverage(inherited), discount);

    // The same, with the inherited side worked out once per document (ConceptCoverage) rather
    // than once per passage.
    public double Coverage(IReadOnlySet<string> terms, double[] inherited, double discount)
    {
        if (IsEmpty)
        {
            return 0;
        }

        var sum = 0.0;
        for (var i = 0; i < Concepts.Count; i++)
        {
            var c = Concepts[i];
            var from = discount * inherited[i];
            sum += c.Weight * (from >= 1 ? from : Math.Max(c.CoverageBy(terms), from));
        }

        return sum / TotalWeight;
    }

    public double[] ConceptCoverage(IReadOnlySet<string> terms)
    {
        var coverage = new double[Concepts.Count];
        for (var i = 0; i < coverage.Length; i++)
        {
            coverage[i] = Concepts[i].CoverageBy(terms);
        }

        return coverage;
    }

    public IReadOnlySet<string> TermSet(string text) => analyze(text).ToHashSet();
}
