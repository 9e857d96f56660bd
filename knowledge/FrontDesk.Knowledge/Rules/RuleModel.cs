namespace FrontDesk.Knowledge.Rules;

/// <summary>Rule text in Japanese, optionally English; English readers get the Japanese when no translation is written.</summary>
public sealed record RuleText(string Ja, string? En = null)
{
    public string For(string language) => language == "en" && !string.IsNullOrWhiteSpace(En) ? En : Ja;
}

public sealed record RuleSource(string Id, string Title, DateOnly AsOf, string Url);

public enum RuleTopic { School, Childcare, Support }

/// <summary>A condition on the user's situation; <see cref="Reason"/> says in plain words what it asks for.</summary>
public abstract record RuleCondition(RuleText Reason);

/// <summary>One fact: its value is one of <see cref="In"/>, or its number lies within <see cref="Min"/>..<see cref="Max"/>.</summary>
public sealed record FactCondition(string Key, IReadOnlyList<string> In, double? Min, double? Max, RuleText Reason) : RuleCondition(Reason);

/// <summary>Several conditions of which any one (or all) must hold.</summary>
public sealed record GroupCondition(bool Any, IReadOnlyList<RuleCondition> Children, RuleText Reason) : RuleCondition(Reason);

/// <summary>One amount: an upper limit in yen, per household, single person or child.</summary>
public sealed record RuleAmount(RuleText Label, long MaxYen, string Per);

public sealed record FiscalYearAmounts(int FiscalYear, IReadOnlyList<RuleAmount> Items);

/// <summary>A school or childcare scheme, or a support programme, as the data describes it for one place.</summary>
public sealed record RuleItem
{
    public required string Id { get; init; }
    public required RuleTopic Topic { get; init; }
    public required RuleText Name { get; init; }
    public required RuleText For { get; init; }
    public required IReadOnlyList<RuleCondition> Conditions { get; init; }
    public required IReadOnlyList<RuleText> Steps { get; init; }
    public required IReadOnlyList<RuleText> Documents { get; init; }
    public RuleText? LeadTime { get; init; }
    public RuleText? Costs { get; init; }
    public required RuleText Contact { get; init; }
    public required IReadOnlyList<RuleText> Caveats { get; init; }
    public required IReadOnlyList<RuleSource> Sources { get; init; }
    public IReadOnlyList<FiscalYearAmounts> Amounts { get; init; } = [];
    public string? Link { get; init; }
    /// <summary>Set when a detail is an example written for the demo rather than the municipality's real rule.</summary>
    public RuleText? Illustrative { get; init; }
    /// <summary>The municipality whose file refines or adds this item; null for the national default.</summary>
    public string? Municipality { get; init; }
    public required string File { get; init; }
    public required int Line { get; init; }

    /// <summary>The amounts for the fiscal year asked, else the latest year before it, else the earliest one; and whether the year matched.</summary>
    public (FiscalYearAmounts Amounts, bool Exact)? AmountsFor(int fiscalYear)
    {
        if (Amounts.Count == 0)
            return null;
        if (Amounts.FirstOrDefault(a => a.FiscalYear == fiscalYear) is { } exact)
            return (exact, true);
        var before = Amounts.Where(a => a.FiscalYear < fiscalYear).MaxBy(a => a.FiscalYear);
        return (before ?? Amounts.MinBy(a => a.FiscalYear)!, false);
    }
}

public sealed record Municipality(string Id, RuleText Name, string Prefecture, IReadOnlyList<string> Aliases, int FiscalYear, DateOnly AsOf, RuleText? Illustrative, string File);

/// <summary>Everything the rule files say, validated: the national defaults and, per municipality, the defaults with its own refinements.</summary>
public sealed class RuleBook(
    int fiscalYear, DateOnly asOf, IReadOnlyList<RuleItem> national,
    IReadOnlyList<Municipality> municipalities, IReadOnlyDictionary<string, IReadOnlyList<RuleItem>> byMunicipality, string hash)
{
    public int FiscalYear { get; } = fiscalYear;
    public DateOnly AsOf { get; } = asOf;
    public IReadOnlyList<RuleItem> National { get; } = national;
    public IReadOnlyList<Municipality> Municipalities { get; } = municipalities;
    /// <summary>SHA-256 of the files the book was read from.</summary>
    public string Hash { get; } = hash;

    public Municipality? Municipality(string? id) => Municipalities.FirstOrDefault(m => m.Id == id);

    /// <summary>The items that hold in a municipality, or the national defaults when it is not known.</summary>
    public IReadOnlyList<RuleItem> ItemsFor(string? municipalityId) =>
        municipalityId is not null && byMunicipality.TryGetValue(municipalityId, out var items) ? items : National;

    /// <summary>A municipality named in typed text (its name, with or without 町/市/村, or an alias); null when none matches.</summary>
    public Municipality? FindMunicipality(string text)
    {
        var typed = Fold(text);
        if (typed.Length == 0)
            return null;
        return Municipalities.FirstOrDefault(m => Names(m).Any(n => typed == n || (n.Length >= 2 && typed.Contains(n, StringComparison.Ordinal))));
    }

    static IEnumerable<string> Names(Municipality m)
    {
        foreach (var name in new[] { m.Name.Ja, m.Name.En ?? "", m.Id }.Concat(m.Aliases))
        {
            var folded = Fold(name);
            if (folded.Length == 0)
                continue;
            yield return folded;
            var bare = folded.TrimEnd('町', '市', '村');
            if (bare.Length >= 2 && bare != folded)
                yield return bare;
        }
    }

    static string Fold(string text) =>
        text.Normalize(System.Text.NormalizationForm.FormKC).Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Replace("　", "", StringComparison.Ordinal);
}
