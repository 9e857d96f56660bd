using System.Text.Json;
using System.Text.Json.Nodes;

namespace FrontDesk.Knowledge.Listings;

public sealed record FilterCase(string Text, JsonObject Expected, IReadOnlyList<string> ExpectedProblems);

public sealed record FilterMiss(string Text, string Expected, string Actual);

public sealed record FilterEvaluationResult(int Total, int Exact, IReadOnlyList<FilterMiss> Misses)
{
    public double Share => Total == 0 ? 0 : (double)Exact / Total;
}

/// <summary>
/// The request test set (knowledge/eval/listing-requests.jsonl): each line a request and the filter and problems
/// it should give. A case counts only when both match exactly.
/// </summary>
public static class FilterEvaluation
{
    public static IReadOnlyList<FilterCase> Load(string path) =>
        File.ReadLines(path)
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .Select(o => new FilterCase(
                (string)o["text"]!,
                o["expect"]?.AsObject() ?? [],
                o["problems"]?.AsArray().Select(p => (string)p!).ToList() ?? []))
            .ToList();

    public static FilterEvaluationResult Run(FilterParser parser, IReadOnlyList<FilterCase> cases)
    {
        var misses = new List<FilterMiss>();
        foreach (var c in cases)
        {
            var parsed = parser.Parse(c.Text);
            var actual = JsonSerializer.SerializeToNode(parsed.Filter, ListingFilter.Json)!.AsObject();
            var problems = parsed.Problems.Select(p => p.Kind.ToString()).Order().ToList();
            if (!JsonNode.DeepEquals(actual, c.Expected) || !problems.SequenceEqual(c.ExpectedProblems.Order()))
                misses.Add(new FilterMiss(c.Text, Describe(c.Expected, c.ExpectedProblems), Describe(actual, problems)));
        }
        return new FilterEvaluationResult(cases.Count, cases.Count - misses.Count, misses);
    }

    static string Describe(JsonObject filter, IEnumerable<string> problems) =>
        filter.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
        + (problems.Any() ? " problems: " + string.Join(",", problems) : "");
}
