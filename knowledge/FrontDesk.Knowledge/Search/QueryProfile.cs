namespace FrontDesk.Knowledge.Search;

// One thing the question asks about: a term, or a synonym group satisfied by any member.
public sealed record QueryConcept(IReadOnlyList<string[]> Alternatives, double Weight)
{
    public bool IsCoveredBy(IReadOnlySet<string> terms) => Alternatives.Any(a => a.All(terms.Contains));
}

// analyze is the index's own analyser, so texts are compared in the terms the index used.
public sealed class QueryProfile(IReadOnlyList<QueryConcept> concepts, Func<string, IEnumerable<string>> analyze)
{
    public IReadOnlyList<QueryConcept> Concepts { get; } = concepts;

    public double TotalWeight { get; } = concepts.Sum(c => c.Weight);

    public bool IsEmpty => TotalWeight <= 0;

    // Share of the question's weight (rare terms count most) that a text contains.
    public double Coverage(string text) => Coverage(TermSet(text));

    public double Coverage(IReadOnlySet<string> terms) =>
        IsEmpty ? 0 : Concepts.Where(c => c.IsCoveredBy(terms)).Sum(c => c.Weight) / TotalWeight;

    public IReadOnlySet<string> TermSet(string text) => analyze(text).ToHashSet();
}
