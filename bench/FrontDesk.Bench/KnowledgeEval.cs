using FrontDesk.Knowledge.Answers;
using FrontDesk.Knowledge.Database;
using FrontDesk.Knowledge.Documents;
using FrontDesk.Knowledge.Evaluation;
using FrontDesk.Knowledge.Ingestion;
using FrontDesk.Knowledge.Search;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Util;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Bench;

/// <summary>
/// `./frontdesk eval`: ingests every document of a folder into a throwaway database, builds the index from what was
/// stored (as a host does), asks every question and prints retrieval and answer metrics.
/// </summary>
public static class KnowledgeEval
{
    // `./frontdesk eval report`: every question set over its corpus, one Markdown row each (for the README).
    // Held-out sets are only ever summarised here, never listed question by question.
    static readonly (string Set, string Corpus, string Questions)[] Sets =
    [
        ("kb-dev", "../shared/seeds", "../shared/eval/kb-dev.jsonl"),
        ("seeds-tune", "../shared/seeds", "knowledge/eval/seeds-tune.jsonl"),
        ("seeds-heldout", "../shared/seeds", "knowledge/eval/seeds-heldout.jsonl"),
        ("articles-dev", "knowledge/content/articles", "knowledge/eval/articles-dev.jsonl"),
        ("articles-tune", "knowledge/content/articles", "knowledge/eval/articles-tune.jsonl"),
        ("articles-heldout", "knowledge/content/articles", "knowledge/eval/articles-heldout.jsonl"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["report", ..])
            return await ReportAsync(args[1..]);
        var corpus = Arg(args, "--corpus");
        var questions = Arg(args, "--questions");
        if (corpus is null || questions is null || !Directory.Exists(corpus) || !File.Exists(questions))
        {
            Console.Error.WriteLine("Usage: eval --corpus DIR --questions FILE.jsonl [--json] [--baseline] [--threshold X] [--fields bigram|lemma|fused]");
            return 2;
        }
        var baseline = args.Contains("--baseline");
        var fields = Arg(args, "--fields") is { } f ? Enum.Parse<SearchFields>(f, ignoreCase: true) : new EvalOptions().Fields;
        var threshold = Arg(args, "--threshold") is { } t ? double.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : AnswerOptions.DefaultDeclineThreshold;

        var (version, passages) = await IngestAsync(corpus);
        var synonyms = baseline ? SynonymSet.Empty : KnowledgeIndexUpdater.LoadSynonyms(null, Directory.GetCurrentDirectory());
        using var snapshot = IndexSnapshot.Build(passages, synonyms, version, baseline ? new StandardAnalyzer(LuceneVersion.LUCENE_48) : null, fields);
        if (fields != snapshot.Fields)
            Console.Error.WriteLine($"Fields: {snapshot.Fields} ({Knowledge.Text.MeCabTagger.Default.Problem ?? "baseline"})");
        if (Arg(args, "--ask") is { } ask)
        {
            // A development aid: what the search and the composer made of one question.
            var result = snapshot.Search(ask, 5);
            foreach (var c in result.Profile.Concepts)
                Console.WriteLine($"concept {string.Join(" | ", c.Alternatives.Select(a => string.Join(",", a)).Take(4))}  w={c.Weight:F2} detail={c.DetailWeight:F2}");
            foreach (var h in result.Hits)
                Console.WriteLine($"hit {h.Rank} {h.RankScore:F3} {h.DocumentId} «{h.Passage.Heading}» {h.Passage.Text[..Math.Min(60, h.Passage.Text.Length)].ReplaceLineEndings(" ")}");
            var answer = new AnswerComposer(new AnswerOptions { DeclineThreshold = threshold }).Compose(ask, result);
            Console.WriteLine($"kind={answer.Kind} p={answer.Confidence:F2} declined={answer.Declined}\n{answer.Text}");
            return 0;
        }

        var report = KnowledgeEvaluation.Evaluate(snapshot, new AnswerComposer(new AnswerOptions { DeclineThreshold = threshold }),
            await KnowledgeEvaluation.LoadQuestionsAsync(questions, CancellationToken.None));
        Console.WriteLine(args.Contains("--json") ? report.ToJson() : report.ToText());
        if (args.Contains("--misses"))
        {
            // Held-out halves are never read question by question (issue 13, point 6).
            if (Path.GetFileName(questions).Contains("heldout", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine("--misses is refused on a held-out set");
                return 2;
            }
            foreach (var r in report.Questions.Where(r => r.Answerable ? r.HitRank is null or > 3 || !r.AnswerContains || r.Declined : !r.Declined))
                Console.WriteLine($"--- {r.Id} rank={r.HitRank?.ToString() ?? "-"} contains={r.AnswerContains} declined={r.Declined} p={r.Confidence:F2} f=[{string.Join(" ", r.Gate.ToVector().Select(v => v.ToString("F2")))}]\nQ: {r.Question}\nA: {r.Answer.ReplaceLineEndings(" / ")}");
        }
        return 0;
    }

    static async Task<int> ReportAsync(string[] args)
    {
        var threshold = Arg(args, "--threshold") is { } t ? double.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : AnswerOptions.DefaultDeclineThreshold;
        var synonyms = KnowledgeIndexUpdater.LoadSynonyms(null, Directory.GetCurrentDirectory());
        var composer = new AnswerComposer(new AnswerOptions { DeclineThreshold = threshold });
        var missing = new List<string>();
        Console.WriteLine(EvalReport.MarkdownHeader);
        foreach (var corpus in Sets.Select(s => s.Corpus).Distinct())
        {
            if (!Directory.Exists(corpus))
            {
                missing.Add(corpus);
                continue;
            }
            var (version, passages) = await IngestAsync(corpus);
            foreach (var fields in Enum.GetValues<SearchFields>())
            {
                using var snapshot = IndexSnapshot.Build(passages, synonyms, version, null, fields);
                foreach (var (set, _, questions) in Sets.Where(s => s.Corpus == corpus))
                {
                    if (!File.Exists(questions))
                    {
                        missing.Add(questions);
                        continue;
                    }
                    var report = KnowledgeEvaluation.Evaluate(snapshot, composer, await KnowledgeEvaluation.LoadQuestionsAsync(questions, CancellationToken.None));
                    // Without MeCab a lemma or fused snapshot falls back to bigrams; the row says what ran.
                    Console.WriteLine(report.ToMarkdownRow(set, snapshot.Fields == fields ? fields.ToString().ToLowerInvariant() : $"{fields} (ran as {snapshot.Fields})".ToLowerInvariant()));
                }
            }
        }
        foreach (var path in missing.Distinct())
            Console.Error.WriteLine($"not found, left out: {path}");
        return 0;
    }

    // Every document of the folder through a throwaway database, read back as a host reads it.
    static async Task<(long Version, IReadOnlyList<Passage> Passages)> IngestAsync(string corpus)
    {
        await using var db = await BenchDatabase.CreateAsync();
        using var host = await db.KnowledgeStoreHostAsync();
        var store = host.Services.GetRequiredService<DocumentStore>();
        await store.EnsureSourceAsync("corpus", "folder", Path.GetFullPath(corpus), CancellationToken.None);
        var chunker = new Chunker();
        foreach (var file in Directory.EnumerateFiles(corpus).Where(DocumentParser.IsSupported).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file).Equals("README.md", StringComparison.OrdinalIgnoreCase))
                continue; // describes the corpus; not part of it
            var document = await DocumentParser.ParseFileAsync(file, CancellationToken.None);
            await store.UpsertAsync("corpus", Path.GetFileName(file), document, chunker.Chunk(document), null, CancellationToken.None);
        }
        var (version, passages) = await store.LoadPassagesAsync(CancellationToken.None);
        return (version, passages);
    }

    static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
