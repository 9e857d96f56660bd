using System.Text.Json;
using FrontDesk.Knowledge.Ingestion;
using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Tests.Evaluation;

// Every question file is data the evaluation trusts: a must string that is not in its document, or a
// follow-up naming a later question, would silently count as a wrong answer.
public sealed class QuestionSetTests
{
    private static readonly string EvalDirectory = Path.GetFullPath(Path.Combine(Corpus.ArticlesDirectory, "..", "..", "eval"));

    // knowledge/eval/*.jsonl (listing-requests, intents-* and dialogues-* have other formats) and the shared seeds dev set.
    public static TheoryData<string> QuestionFiles()
    {
        var files = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(EvalDirectory, "*.jsonl").Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file) is not "listing-requests.jsonl" && !Path.GetFileName(file).StartsWith("intents-", StringComparison.Ordinal) && !Path.GetFileName(file).StartsWith("dialogues-", StringComparison.Ordinal))
            {
                files.Add(Path.GetFileName(file));
            }
        }

        files.Add(Path.GetFileName(Corpus.DevQuestions));
        return files;
    }

    [Theory]
    [MemberData(nameof(QuestionFiles))]
    public async Task Question_file_is_valid_and_every_must_string_is_in_its_document(string name)
    {
        var path = name == Path.GetFileName(Corpus.DevQuestions) ? Corpus.DevQuestions : Path.Combine(EvalDirectory, name);
        var corpus = name.StartsWith("articles", StringComparison.Ordinal) ? Corpus.ArticlesDirectory : Corpus.SeedDirectory;
        var documents = new Dictionary<string, string?>();
        var problems = new List<string>();
        var ids = new HashSet<string>();
        var lines = await File.ReadAllLinesAsync(path);
        var questions = 0;

        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var at = $"{name}:{i + 1}";
            JsonElement q;
            try
            {
                q = Parse(lines[i]);
            }
            catch (JsonException e)
            {
                problems.Add($"{at}: not a JSON line ({e.Message})");
                continue;
            }

            questions++;
            var id = Text(q, "id");
            if (string.IsNullOrWhiteSpace(id))
            {
                problems.Add($"{at}: no id");
                continue;
            }

            at += $" {id}";
            if (string.IsNullOrWhiteSpace(Text(q, "q")))
            {
                problems.Add($"{at}: no question text");
            }

            var kind = Text(q, "kind");
            var doc = Text(q, "doc");
            var must = q.TryGetProperty("must", out var m) && m.ValueKind == JsonValueKind.Array
                ? m.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : null).ToList()
                : null;
            if (must is null || must.Any(s => string.IsNullOrWhiteSpace(s)))
            {
                problems.Add($"{at}: must is not a list of strings");
                must = [];
            }

            if (doc is null)
            {
                if (must.Count > 0)
                {
                    problems.Add($"{at}: unanswerable but has must strings");
                }

                if (kind != "unanswerable")
                {
                    problems.Add($"{at}: no doc but kind {kind}");
                }
            }
            else
            {
                if (kind == "unanswerable")
                {
                    problems.Add($"{at}: kind unanswerable but doc {doc}");
                }

                if (must.Count == 0)
                {
                    problems.Add($"{at}: answerable but no must string");
                }

                if (!documents.TryGetValue(doc, out var text))
                {
                    var file = Path.Combine(corpus, doc);
                    text = File.Exists(file) ? JapaneseText.Compact((await DocumentParser.ParseFileAsync(file, CancellationToken.None)).Text) : null;
                    documents[doc] = text;
                }

                if (text is null)
                {
                    problems.Add($"{at}: {doc} is not in {corpus}");
                }
                else
                {
                    problems.AddRange(must.Where(s => !text.Contains(JapaneseText.Compact(s)))
                        .Select(s => $"{at}: 「{s}」 is not in {doc}"));
                }
            }

            if (q.TryGetProperty("after", out var after) && (after.ValueKind != JsonValueKind.String || !ids.Contains(after.GetString()!)))
            {
                problems.Add($"{at}: after {after} does not name an earlier id in {name}");
            }

            if (!ids.Add(id))
            {
                problems.Add($"{at}: id used twice");
            }
        }

        Assert.True(questions > 0, $"{name} holds no questions");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void New_sets_are_split_into_tuning_and_held_out_halves_with_distinct_ids()
    {
        var halves = new[] { "seeds-tune", "seeds-heldout", "articles-tune", "articles-heldout" }
            .ToDictionary(h => h, h => File.ReadAllLines(Path.Combine(EvalDirectory, h + ".jsonl"))
                .Where(l => !string.IsNullOrWhiteSpace(l))
                .Select(Parse)
                .ToList());

        var all = halves.Values.SelectMany(q => q).ToList();
        Assert.True(all.Count >= 180, $"{all.Count} new questions");
        Assert.True(halves["seeds-tune"].Count + halves["seeds-heldout"].Count >= 75);
        Assert.True(halves["articles-tune"].Count + halves["articles-heldout"].Count >= 105);

        // Ids are unique across every question file, so a result names one question.
        var ids = all.Select(q => Text(q, "id")!)
            .Concat(DevIds(Path.Combine(EvalDirectory, "articles-dev.jsonl")))
            .Concat(DevIds(Corpus.DevQuestions))
            .ToList();
        Assert.Empty(ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key));

        var unanswerable = all.Count(q => Text(q, "kind") == "unanswerable");
        Assert.InRange((double)unanswerable / all.Count, 0.18, 0.25);
        Assert.True(all.Count(q => q.TryGetProperty("after", out _)) >= 16, "follow-up pairs");
        Assert.All(halves.Values, half => Assert.Contains(half, q => Text(q, "kind") == "unanswerable"));
    }

    private static IEnumerable<string> DevIds(string path) =>
        File.ReadAllLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => Text(Parse(l), "id")!);

    private static JsonElement Parse(string line)
    {
        using var json = JsonDocument.Parse(line);
        return json.RootElement.Clone();
    }

    private static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
