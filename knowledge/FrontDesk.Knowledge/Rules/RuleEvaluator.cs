namespace FrontDesk.Knowledge.Rules;

public enum Outcome { Met, NotMet, Unknown }

/// <summary>How well an item seems to fit. Never a verdict: the board of education or the programme office decides.</summary>
public enum Fit { Likely, Possible, Unlikely }

public sealed record ReasonLine(Outcome Outcome, RuleText Text);

public sealed record Finding(RuleItem Item, Fit Fit, IReadOnlyList<ReasonLine> Reasons);

public sealed record Evaluation(Municipality? Destination, IReadOnlyList<Finding> Findings)
{
    public IEnumerable<string> Ids(Fit fit) => Findings.Where(f => f.Fit == fit).Select(f => f.Item.Id);
}

/// <summary>
/// Checks each item's conditions against what the user said, in three values: met, not met, or unknown when the user
/// did not know or the answer was not exact. An item with every condition met is likely, with one not met unlikely,
/// otherwise possible.
/// </summary>
public static class RuleEvaluator
{
    static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    /// <summary>The Japanese fiscal year (年度, April to March) at this moment in Tokyo.</summary>
    public static int FiscalYearOf(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Tokyo);
        return local.Month >= 4 ? local.Year : local.Year - 1;
    }

    /// <summary>The calendar date in Tokyo, against which as-of dates in the rule files are checked.</summary>
    public static DateOnly TodayInTokyo(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Tokyo).DateTime);

    public static Evaluation Evaluate(RuleBook book, IReadOnlyCollection<RuleTopic> topics, RuleFacts facts)
    {
        var destination = book.Municipality(facts.Choice("destination"));
        var findings = book.ItemsFor(destination?.Id)
            .Where(i => topics.Contains(i.Topic))
            .Select(i => Judge(i, facts, destination))
            .OrderBy(f => f.Fit)
            .ToList();
        return new Evaluation(destination, findings);
    }

    static Finding Judge(RuleItem item, RuleFacts facts, Municipality? destination)
    {
        var reasons = item.Conditions.Select(c => new ReasonLine(Check(c, facts, destination), c.Reason)).ToList();
        var fit = reasons.Any(r => r.Outcome == Outcome.NotMet) ? Fit.Unlikely
            : reasons.All(r => r.Outcome == Outcome.Met) ? Fit.Likely
            : Fit.Possible;
        return new Finding(item, fit, reasons);
    }

    static Outcome Check(RuleCondition condition, RuleFacts facts, Municipality? destination)
    {
        switch (condition)
        {
            case GroupCondition group:
                var outcomes = group.Children.Select(c => Check(c, facts, destination)).ToList();
                if (group.Any)
                    return outcomes.Contains(Outcome.Met) ? Outcome.Met : outcomes.All(o => o == Outcome.NotMet) ? Outcome.NotMet : Outcome.Unknown;
                return outcomes.Contains(Outcome.NotMet) ? Outcome.NotMet : outcomes.All(o => o == Outcome.Met) ? Outcome.Met : Outcome.Unknown;
            case FactCondition fact when fact.Key == "destination_prefecture":
                // Derived from the destination, so the user is never asked for it.
                return destination is null ? Outcome.Unknown : fact.In.Contains(destination.Prefecture) ? Outcome.Met : Outcome.NotMet;
            case FactCondition fact when fact.In.Count > 0:
                return facts.Choice(fact.Key) is { } choice ? (fact.In.Contains(choice) ? Outcome.Met : Outcome.NotMet) : Outcome.Unknown;
            case FactCondition fact:
                if (facts.Range(fact.Key) is not { } range)
                    return Outcome.Unknown;
                var min = fact.Min ?? double.NegativeInfinity;
                var max = fact.Max ?? double.PositiveInfinity;
                if (range.Min >= min && range.Max <= max)
                    return Outcome.Met;
                return range.Max < min || range.Min > max ? Outcome.NotMet : Outcome.Unknown;
            default:
                return Outcome.Unknown;
        }
    }
}
