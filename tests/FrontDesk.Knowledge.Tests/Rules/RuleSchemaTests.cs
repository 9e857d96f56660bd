using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.Serialization;

namespace FrontDesk.Knowledge.Tests.Rules;

/// <summary>rules.schema.json, which editors check rule files with, agrees with the rule files we ship.</summary>
public sealed class RuleSchemaTests
{
    static readonly string Folder = RuleLoaderTests.RepositoryRules;
    static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(Folder, "rules.schema.json"));
    static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    static List<string> Files() =>
        Directory.EnumerateFiles(Folder, "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Folder, f)).Order().ToList();

    public static TheoryData<string> RuleFiles() => new(Files());

    /// <summary>YAML as JSON: unquoted numbers and booleans keep their type, dates stay text.</summary>
    static JsonNode? ToJson(string yaml)
    {
        var value = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize(new StringReader(yaml));
        return JsonNode.Parse(new SerializerBuilder().JsonCompatible().Build().Serialize(value));
    }

    static EvaluationResults Check(string yaml) => Schema.Evaluate(ToJson(yaml), Options);

    static string Errors(EvaluationResults results) => string.Join("\n", results.Details
        .Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    [Fact]
    public void The_shipped_rules_are_the_national_file_and_the_municipalities()
    {
        var files = Files();
        Assert.Contains("national.yaml", files);
        Assert.True(files.Count(f => f.StartsWith("municipalities", StringComparison.Ordinal)) >= 4, string.Join(", ", files));
    }

    [Theory]
    [MemberData(nameof(RuleFiles))]
    public void Every_rule_file_matches_the_schema(string file)
    {
        var results = Check(File.ReadAllText(Path.Combine(Folder, file)));
        Assert.True(results.IsValid, $"{file}:\n{Errors(results)}");
    }

    [Theory]
    [InlineData("fiscal_year: 2026\n", "", "a required field missing")]
    [InlineData("kind: national\n", "kind: prefecture\n", "an unknown kind")]
    [InlineData("id: national\n", "id: National Rules\n", "an id with capitals and a space")]
    [InlineData("as_of: 2026-06-01\n", "as_of: 1 June 2026\n", "a date not written YYYY-MM-DD")]
    [InlineData("fiscal_year: 2026\n", "fiscal_year: 2026\ncolour: blue\n", "a field no rule file has")]
    public void A_malformed_rule_file_is_refused(string find, string replace, string what)
    {
        // Top-level lines only: a nested "  id: …" is not touched.
        var national = File.ReadAllText(Path.Combine(Folder, "national.yaml")).ReplaceLineEndings("\n");
        Assert.Contains("\n" + find, national);
        var results = Check(national.Replace("\n" + find, "\n" + replace, StringComparison.Ordinal));
        Assert.False(results.IsValid, what);
    }
}
