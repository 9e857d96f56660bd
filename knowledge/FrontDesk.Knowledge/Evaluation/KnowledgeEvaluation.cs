using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using FrontDesk.Knowledge.Answers;
using FrontDesk.Knowledge.Ingestion;
using FrontDesk.Knowledge.Search;
using FrontDesk.Knowledge.Text;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Util;

namespace FrontDesk.Knowledge.Evaluation;

public sealed record EvalQuestion(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("q")] string Question,
    [property: JsonPropertyName("doc")] string? Document,
    [property: JsonPropertyName("must")] IReadOnlyList<string>? Must,
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("after")] string? After = null)
{
    public bool Answerable => Document is not null;
}

public sealed record EvalOptions
{
    // Baseline: Lucene's StandardAnalyzer without synonyms, to show what the Japanese chain adds.
    public bool Baseline { get; init; }

    public string? SynonymsPath { get; init; }

    public double? DeclineThreshold { get; init; }

    public int TopK { get; init; } = 5;

    // Index fields searched (the baseline always uses bigram-style fields only).
    public SearchFields Fields { get; init; } = SearchFields.Fused;
}

// SearchText: the question as searched (with the previous question's topic when it was read as a follow-up).
public sealed record EvalQuestionResult(string? Id, string Question, bool Answerable, int? HitRank, bool AnswerContains, bool Declined, double Confidence, ConfidenceFeatures Features, double LatencyMs, string Answer, string SearchText = "")
{
    public GateFeatures Gate { get; init; }
}

public sealed record EvalReport(
    [property: JsonPropertyName("recall_at_1")] double RecallAt1,
    [property: JsonPropertyName("recall_at_3")] double RecallAt3,
    [property: JsonPropertyName("recall_at_5")] double RecallAt5,
    [property: JsonPropertyName("mrr")] double Mrr,
    [property: JsonPropertyName("answer_contains")] double AnswerContains,
    [property: JsonPropertyName("unanswerable_declined")] double UnanswerableDeclined,
    [property: JsonPropertyName("false_decline")] double FalseDecline,
    [property: JsonPropertyName("p50_ms")] double P50Ms,
    [property: JsonPropertyName("p95_ms")] double P95Ms,
    [property: JsonPropertyName("n")] int N,
    [property: JsonIgnore] IReadOnlyList<EvalQuestionResult> Questions)
{
    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });

    // One row of the README table: recall@1/3/5, MRR, answer_contains, unanswerable_declined, false_decline, n.
    public string ToMarkdownRow(string set, string fields) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"| {set} | {fields} | {RecallAt1:F3} | {RecallAt3:F3} | {RecallAt5:F3} | {Mrr:F3} | {AnswerContains:F3} | {UnanswerableDeclined:F3} | {FalseDecline:F3} | {N} |");

    public const string MarkdownHeader =
        "| set | fields | recall@1 | recall@3 | recall@5 | MRR | answer_contains | unanswerable_declined | false_decline | n |\n" +
        "|---|---|---|---|---|---|---|---|---|---|";

    public string ToText() =>
        $"recall@1 {RecallAt1:F3}  recall@3 {RecallAt3:F3}  recall@5 {RecallAt5:F3}  mrr {Mrr:F3}\n" +
        $"answer_contains {AnswerContains:F3}  unanswerable_declined {UnanswerableDeclined:F3}  false_decline {FalseDecline:F3}\n" +
        $"p50 {P50Ms:F1} ms  p95 {P95Ms:F1} ms  n {N}";
}

// In-memory end-to-end run: ingest a folder, ask every question, score retrieval and answers.
public static class KnowledgeEvaluation
{
    public static async Task<EvalReport> RunAsync(string corpusDirectory, string questionsFile, EvalOptions options, CancellationToken ct)
    {
        var questions = await LoadQuestionsAsync(questionsFile, ct);
        using var snapshot = await BuildSnapshotAsync(corpusDirectory, options, ct);
        var composer = new AnswerComposer(new AnswerOptions
        {
            DeclineThreshold = options.DeclineThreshold ?? AnswerOptions.DefaultDeclineThreshold,
        });
        return Evaluate(snapshot, composer, questions, options.TopK);
    }

    public static async Task<IndexSnapshot> BuildSnapshotAsync(string corpusDirectory, EvalOptions options, CancellationToken ct)
    {
        var chunker = new Chunker();
        var passages = new List<Passage>();
        foreach (var file in Directory.EnumerateFiles(corpusDirectory).Where(DocumentParser.IsSupported).Order(StringComparer.Ordinal))
        {
            // A README describes the corpus; it is not part of it.
            if (Path.GetFileName(file).Equals("README.md", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var document = await DocumentParser.ParseFileAsync(file, ct);
            passages.AddRange(chunker.Chunk(document));
        }

        var synonyms = options.Baseline ? SynonymSet.Empty
            : options.SynonymsPath is { } path ? SynonymSet.Load(path)
            : FindDefaultSynonyms() is { } found ? SynonymSet.Load(found)
            : SynonymSet.Empty;
        return IndexSnapshot.Build(passages, synonyms, 1, options.Baseline ? new StandardAnalyzer(LuceneVersion.LUCENE_48) : null, options.Fields);
    }

    public static async Task<List<EvalQuestion>> LoadQuestionsAsync(string path, CancellationToken ct)
    {
        var questions = new List<EvalQuestion>();
        foreach (var line in await File.ReadAllLinesAsync(path, ct))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                questions.Add(JsonSerializer.Deserialize<EvalQuestion>(line)
                    ?? throw new InvalidDataException($"Unreadable question line in {path}"));
            }
        }

        return questions;
    }

    // A question with "after" is asked in one conversation after the question it names, and read
    // through the same follow-up logic as the bot (FollowUps).
    public static EvalReport Evaluate(IndexSnapshot snapshot, AnswerComposer composer, IReadOnlyList<EvalQuestion> questions, int topK = 5)
    {
        var byId = new Dictionary<string, EvalQuestion>();
        foreach (var q in questions.Where(q => q.Id is not null))
        {
            byId.TryAdd(q.Id!, q);
        }

        var contexts = new Dictionary<string, FollowUpContext>();
        FollowUpContext? ContextAfter(string? id, int depth)
        {
            if (id is null || depth > FollowUps.MaxTurns + 1)
            {
                return null;
            }

            if (!contexts.TryGetValue(id, out var known) && byId.TryGetValue(id, out var earlier))
            {
                // Named before it was asked: ask it first, as the conversation would have.
                Ask(earlier, ContextAfter(earlier.After, depth + 1));
                contexts.TryGetValue(id, out known);
            }

            return known;
        }

        (FollowUpReading Reading, SearchResult Result, Answer Answer) Ask(EvalQuestion question, FollowUpContext? context)
        {
            var reading = FollowUps.Read(question.Question, context, snapshot);
            var result = snapshot.Search(reading.SearchText, Math.Max(topK, composer.Options.PassagesConsidered));
            var answer = composer.Compose(reading.SearchText, result);
            if (question.Id is not null)
            {
                contexts[question.Id] = reading.Next(answer.Citations.FirstOrDefault()?.DocumentId);
            }

            return (reading, result, answer);
        }

        var results = new List<EvalQuestionResult>();
        foreach (var question in questions)
        {
            var context = ContextAfter(question.After, 0);
            var watch = Stopwatch.StartNew();
            var (reading, result, answer) = Ask(question, context);
            watch.Stop();

            var must = (question.Must ?? []).Select(JapaneseText.Compact).ToList();
            int? rank = null;
            if (question.Answerable)
            {
                rank = result.Hits.Take(topK).FirstOrDefault(h => h.DocumentId == question.Document
                    && must.All(JapaneseText.Compact(h.Passage.Text).Contains))?.Rank;
            }

            var compactAnswer = JapaneseText.Compact(answer.Text);
            var contains = question.Answerable && !answer.Declined && must.All(compactAnswer.Contains);
            results.Add(new EvalQuestionResult(question.Id, question.Question, question.Answerable, rank, contains,
                answer.Declined, answer.Confidence, AnswerComposer.Features(result), watch.Elapsed.TotalMilliseconds, answer.Text, reading.SearchText) { Gate = answer.Features });
        }

        var answerable = results.Where(r => r.Answerable).ToList();
        var unanswerable = results.Where(r => !r.Answerable).ToList();
        double Share<T>(List<T> items, Func<T, bool> predicate) => items.Count == 0 ? 0 : (double)items.Count(predicate) / items.Count;
        var latencies = results.Select(r => r.LatencyMs).Order().ToList();
        return new EvalReport(
            Share(answerable, r => r.HitRank <= 1),
            Share(answerable, r => r.HitRank <= 3),
            Share(answerable, r => r.HitRank <= 5),
            answerable.Count == 0 ? 0 : answerable.Average(r => r.HitRank is { } k ? 1.0 / k : 0),
            Share(answerable, r => r.AnswerContains),
            Share(unanswerable, r => r.Declined),
            Share(answerable, r => r.Declined),
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.95),
            results.Count,
            results);
    }

    // knowledge/content/synonyms.txt, looked for from the working directory and the app folder up.
    public static string? FindDefaultSynonyms()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "knowledge", "content", "synonyms.txt");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
