using System.Diagnostics;
using FrontDesk.Knowledge.Answers;
using FrontDesk.Knowledge.Database;
using FrontDesk.Knowledge.Documents;
using FrontDesk.Knowledge.Evaluation;
using FrontDesk.Knowledge.Ingestion;
using FrontDesk.Knowledge.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Bench;

/// <summary>
/// Query latency and throughput over 10,000 passages, the full re-index from PostgreSQL, and the process memory
/// with that index. The passages are made from the real articles and seeds: each generated document recombines
/// real sentences, so the vocabulary and lengths are those of the production content.
/// </summary>
public static class SearchBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var target = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 10_000;
        var at = Array.IndexOf(args, "--fields");
        var fields = at >= 0 && at + 1 < args.Length ? Enum.Parse<SearchFields>(args[at + 1], ignoreCase: true) : SearchFields.Fused;
        var root = FindRoot();
        var sources = Directory.EnumerateFiles(Path.Combine(root, "knowledge", "content", "articles"), "*.md")
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "..", "shared", "seeds"), "*.txt"))
            .Order(StringComparer.Ordinal).ToList();
        var chunker = new Chunker();
        var documents = new List<ParsedDocument>();
        foreach (var file in sources)
            documents.Add(await DocumentParser.ParseFileAsync(file, CancellationToken.None));
        var basePassages = documents.SelectMany(chunker.Chunk).ToList();

        await using var db = await BenchDatabase.CreateAsync();
        using var host = await db.KnowledgeStoreHostAsync();
        var store = host.Services.GetRequiredService<DocumentStore>();
        await store.EnsureSourceAsync("bench", "folder", "generated", CancellationToken.None);

        // Generated documents: real passages, each followed by sentences of another real passage, until the target count.
        var random = new Random(42);
        var stored = 0;
        for (var d = 0; stored < target; d++)
        {
            var template = documents[d % documents.Count];
            var passages = chunker.Chunk(template)
                .Select(p => p with { Text = p.Text + "\n" + Head(basePassages[random.Next(basePassages.Count)].Text, 120) })
                .Take(target - stored).ToList();
            var copy = template with { Id = $"gen-{d:D5}-{template.Id}", ContentHash = $"{template.ContentHash}-{d}" };
            await store.UpsertAsync("bench", copy.Id, copy, passages, null, CancellationToken.None);
            stored += passages.Count;
        }

        var synonyms = KnowledgeIndexUpdater.LoadSynonyms(Path.Combine(root, "knowledge", "content", "synonyms.txt"), root);
        var reindex = Stopwatch.StartNew();
        var (version, all) = await store.LoadPassagesAsync(CancellationToken.None);
        var loaded = reindex.Elapsed;
        using var snapshot = IndexSnapshot.Build(all, synonyms, version, fields: fields);
        reindex.Stop();
        var memoryMb = Process.GetCurrentProcess().WorkingSet64 / 1024.0 / 1024.0;
        // What the index keeps once the build's garbage is collected (a host collects it soon after a swap).
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heapMb = GC.GetTotalMemory(forceFullCollection: false) / 1024.0 / 1024.0;
        var settledMb = Process.GetCurrentProcess().WorkingSet64 / 1024.0 / 1024.0;

        var questions = new List<string>();
        foreach (var file in new[] { Path.Combine(root, "..", "shared", "eval", "kb-dev.jsonl"), Path.Combine(root, "knowledge", "eval", "articles-dev.jsonl") }.Where(File.Exists))
            questions.AddRange((await KnowledgeEvaluation.LoadQuestionsAsync(file, CancellationToken.None)).Select(q => q.Question));
        var composer = new AnswerComposer();
        for (var i = 0; i < 200; i++)
            snapshot.Search(questions[i % questions.Count], 5); // warm-up

        var searchMs = Measure(questions, 2000, q => snapshot.Search(q, 5));
        var answerMs = Measure(questions, 1000, q => composer.Compose(q, snapshot.Search(q, 5)));
        var qps = await ThroughputAsync(snapshot, questions, TimeSpan.FromSeconds(5));

        Console.WriteLine($"Search benchmark: {all.Count:N0} passages ({documents.Count} real documents recombined), {Environment.ProcessorCount} cores");
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| search p50 / p95 | {P(searchMs, 50):F2} ms / {P(searchMs, 95):F2} ms |");
        Console.WriteLine($"| search + composed answer p50 / p95 | {P(answerMs, 50):F2} ms / {P(answerMs, 95):F2} ms |");
        Console.WriteLine($"| searches per second ({Environment.ProcessorCount} threads) | {qps:F0} |");
        Console.WriteLine($"| full re-index from PostgreSQL (load {loaded.TotalSeconds:F1} s + build) | {reindex.Elapsed.TotalSeconds:F1} s |");
        Console.WriteLine($"| process working set with the index | {memoryMb:F0} MB |");
        Console.WriteLine($"| working set / managed heap after a full collection | {settledMb:F0} MB / {heapMb:F0} MB |");
        Console.WriteLine($"| index fields | {snapshot.Fields} |");
        return 0;
    }

    static List<double> Measure(List<string> questions, int count, Action<string> run)
    {
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            run(questions[i % questions.Count]);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        times.Sort();
        return times;
    }

    static async Task<double> ThroughputAsync(IndexSnapshot snapshot, List<string> questions, TimeSpan duration)
    {
        long done = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, Environment.ProcessorCount).Select(t => Task.Run(() =>
        {
            for (var i = t; Stopwatch.GetTimestamp() < until; i++)
            {
                snapshot.Search(questions[i % questions.Count], 5);
                Interlocked.Increment(ref done);
            }
        })));
        return done / duration.TotalSeconds;
    }

    static string Head(string text, int length) => text.Length <= length ? text : text[..length];

    static double P(List<double> sorted, double p) => Percentiles.Of(sorted, p);

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FrontDesk.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Run from the repository (FrontDesk.sln not found).");
    }
}
