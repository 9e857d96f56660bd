using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using FrontDesk.FakeLine;
using FrontDesk.Testing;
using Npgsql;

namespace FrontDesk.Bench;

/// <summary>
/// The LINE webhook on loopback: the real web host and PostgreSQL, webhooks signed and posted by the fake LINE
/// platform, replies going back to it. Measures how fast webhooks are acknowledged (LINE allows 2 s) and how long
/// an event takes from the webhook to its reply reaching the platform.
/// </summary>
public static class LineBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var senders = IntArg(args, "--senders", 100);
        var perSender = IntArg(args, "--webhooks", 20);
        var seconds = IntArg(args, "--seconds", 15);
        var rate = IntArg(args, "--rate", 3);
        await using var db = await BenchDatabase.CreateAsync();
        await using var line = await FakeLinePlatform.StartAsync(new FakeLineSettings { ValidateRequests = false });
        var settings = new Dictionary<string, string?>(line.BotSettings)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Database:ConnectionString"] = db.ConnectionString,
        };
        // The web host's content root, which the test assemblies get from MSBuild and this program must name.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FRONTDESK_BOT", Path.Combine(RepositoryRoot.Path, "bot", "FrontDesk.Bot"));
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", settings: settings);
        using (var http = app.CreateClient())
            line.WebhookUrl = new Uri(http.BaseAddress!, "/line/webhook");
        await KnowledgeContent.LoadAsync(app.Services, KnowledgeContent.ArticlesFolder);

        var replied = new ConcurrentDictionary<string, long>();
        line.CallRecorded += call =>
        {
            if (call.ReplyToken is { } token && call.Succeeded)
                replied.TryAdd(token, Stopwatch.GetTimestamp());
        };

        // Warm-up at full width: JIT, thread pool and one pooled connection per concurrent sender, as in steady state.
        await RunAsync(line, replied, senders, 10, pace: null);
        // Other work on the machine skews every figure; the load average says how much there was.
        var loadBefore = LoadAverage();
        Console.WriteLine($"LINE webhook benchmark: {Environment.ProcessorCount} cores; web host, fake LINE platform and PostgreSQL on loopback; one knowledge question per webhook (the project's articles)");
        Console.WriteLine();
        Console.WriteLine("| scenario | webhooks | acks/s | ack p50 ms | ack p99 ms | ack max ms | reply p50 ms | reply p95 ms | reply p99 ms | non-200 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Report($"{senders} senders, one webhook per second each", await RunAsync(line, replied, senders, seconds, pace: TimeSpan.FromSeconds(1)));
        Report($"{senders} senders, {rate} webhooks per second each", await RunAsync(line, replied, senders, seconds * rate, pace: TimeSpan.FromSeconds(1.0 / rate)));
        Report($"{senders} concurrent senders, back-to-back", await RunAsync(line, replied, senders, perSender, pace: null));
        Console.WriteLine();
        Console.WriteLine("ack = webhook POST answered (event recorded durably); reply = from the start of the POST to the reply API call reaching the fake platform.");

        await Task.Delay(500);
        await using var check = NpgsqlDataSource.Create(db.ConnectionString);
        await using var cmd = check.CreateCommand("select count(*) from conversation.inbound");
        var left = (long)(await cmd.ExecuteScalarAsync())!;
        Console.WriteLine($"left unprocessed: {left}; Messaging API calls: {line.Calls.Count}; load average before/after: {loadBefore} / {LoadAverage()}");
        return left == 0 ? 0 : 1;
    }

    static async Task<Result> RunAsync(FakeLinePlatform line, ConcurrentDictionary<string, long> replied, int senders, int webhooksEach, TimeSpan? pace)
    {
        var acks = new ConcurrentBag<double>();
        var sent = new ConcurrentDictionary<string, long>();
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
        {
            var user = "U" + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
            if (pace is { } spread)
                await Task.Delay(spread * s / senders);
            var next = Stopwatch.GetTimestamp();
            for (var i = 0; i < webhooksEach; i++)
            {
                // Distinct answerable questions in turn: a repeated or unanswerable one would hand the user to a coordinator.
                var e = line.Events.Text(user, BenchQuestions.Answerable[(s + i) % BenchQuestions.Answerable.Count]);
                var token = e["replyToken"]!.GetValue<string>();
                var body = line.WebhookBody(e);
                var signature = line.Sign(body);
                var started = Stopwatch.GetTimestamp();
                sent[token] = started;
                using (var response = await line.PostWebhookAsync(body, signature))
                {
                    acks.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (response.StatusCode != HttpStatusCode.OK)
                        Interlocked.Increment(ref failures);
                }
                if (pace is { } interval)
                {
                    next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                    if (wait > TimeSpan.Zero)
                        await Task.Delay(wait);
                }
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var deadline = Stopwatch.StartNew();
        while (sent.Keys.Any(t => !replied.ContainsKey(t)) && deadline.Elapsed < TimeSpan.FromMinutes(2))
            await Task.Delay(50);
        var ackSorted = acks.Order().ToList();
        var e2e = sent.Where(s => replied.ContainsKey(s.Key))
            .Select(s => Stopwatch.GetElapsedTime(s.Value, replied[s.Key]).TotalMilliseconds).Order().ToList();
        return new Result(ackSorted.Count, ackSorted.Count / elapsed, Percentiles.Of(ackSorted, 50), Percentiles.Of(ackSorted, 99), ackSorted[^1],
            Percentiles.Of(e2e, 50), Percentiles.Of(e2e, 95), Percentiles.Of(e2e, 99), failures + (sent.Count - e2e.Count));
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    static void Report(string scenario, Result r) =>
        Console.WriteLine($"| {scenario} | {r.Webhooks} | {r.PerSecond:F0} | {r.AckP50:F1} | {r.AckP99:F1} | {r.AckMax:F1} | {r.E2eP50:F1} | {r.E2eP95:F1} | {r.E2eP99:F1} | {r.Failures} |");

    static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    sealed record Result(int Webhooks, double PerSecond, double AckP50, double AckP99, double AckMax, double E2eP50, double E2eP95, double E2eP99, int Failures);
}
