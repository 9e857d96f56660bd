namespace FrontDesk.Knowledge.Rules;

public enum FactKind { Choice, Number }

/// <summary>A fact a condition may ask about; rule files may use no other key.</summary>
public sealed record FactKey(string Name, FactKind Kind, IReadOnlyList<string> Values, double Min = 0, double Max = 0)
{
    /// <summary>
    /// The vocabulary of conditions. destination and destination_prefecture take the municipality ids and prefectures
    /// the files define. school_year: 1-6 elementary, 7-9 junior high, 10-12 high school, 0 and below the years before
    /// school (0 = the last nursery year).
    /// </summary>
    public static readonly IReadOnlyList<FactKey> All =
    [
        new("school_year", FactKind.Number, [], -6, 12),
        new("current_area", FactKind.Choice, ["tokyo23", "tokyo_area", "other"]),
        new("destination", FactKind.Choice, []),
        new("destination_prefecture", FactKind.Choice, []),
        new("stay_weeks", FactKind.Number, [], 0, 104),
        new("rhythm", FactKind.Choice, ["once", "repeated"]),
        new("keep_registration", FactKind.Choice, ["yes", "no"]),
        new("purpose", FactKind.Choice, ["dual", "trial", "relocation"]),
        new("commute", FactKind.Choice, ["tokyo23", "elsewhere", "none"]),
        new("years_tokyo_total", FactKind.Number, [], 0, 10),
        new("years_tokyo_recent", FactKind.Number, [], 0, 10),
        new("work_plan", FactKind.Choice, ["matching_job", "telework", "startup", "other"]),
        new("children", FactKind.Number, [], 0, 10),
    ];

    public static FactKey? Find(string name) => All.FirstOrDefault(k => k.Name == name);
}

/// <summary>What the user told us. A number is a range when the answer was not exact (an age gives two possible school years); a missing key is unknown.</summary>
public sealed class RuleFacts
{
    readonly Dictionary<string, (string? Choice, double Min, double Max)> values = new(StringComparer.Ordinal);

    public RuleFacts Set(string key, string value)
    {
        values[key] = (value, 0, 0);
        return this;
    }

    public RuleFacts Set(string key, double min, double max)
    {
        values[key] = (null, Math.Min(min, max), Math.Max(min, max));
        return this;
    }

    public RuleFacts Set(string key, double value) => Set(key, value, value);

    public bool Knows(string key) => values.ContainsKey(key);

    public string? Choice(string key) => values.TryGetValue(key, out var v) ? v.Choice : null;

    public (double Min, double Max)? Range(string key) => values.TryGetValue(key, out var v) && v.Choice is null ? (v.Min, v.Max) : null;
}
