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
        var hangPercent = IntArg(args, "--hang-percent", 10);
        await using var db = await BenchDatabase.CreateAsync();
        await using var line = await FakeLinePlatform.StartAsync(new FakeLineSettings { ValidateRequests = false });
        var settings = new Dictionary<string, string?>(line.BotSettings)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Database:ConnectionString"] = db.ConnectionString,
            // A hung LINE call is given up after 2 s (default 10 s): with per-user order kept, a user's later answers
            // wait behind each hung call, so the timeout bounds the drain (see LINE-NOTES.md).
            ["Line:RequestTimeout"] = "00:00:02",
        };
        // The web host's content root, which the test assemblies get from MSBuild and this program must name.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FRONTDESK_BOT", Path.Combine(RepositoryRoot.Path, "bot", "FrontDesk.Bot"));
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", settings: settings);
        using (var http = app.CreateClient())
            line.WebhookUrl = new Uri(http.BaseAddress!, "/line/webhook");
        await KnowledgeContent.LoadAsync(app.Services, KnowledgeContent.ArticlesFolder);

        // Each user's answers arrive in the order of the questions (by reply or by push), so the n-th delivery answers the n-th webhook.
        var delivered = new ConcurrentDictionary<string, ConcurrentQueue<long>>();
        line.CallRecorded += call =>
        {
            if (call.Succeeded && call.User is { } user && call.Path is "/v2/bot/message/reply" or "/v2/bot/message/push")
                delivered.GetOrAdd(user, _ => new()).Enqueue(Stopwatch.GetTimestamp());
        };

        // Warm-up at full width: JIT, thread pool and one pooled connection per concurrent sender, as in steady state.
        await RunAsync(line, delivered, senders, 10, pace: null);
        var warmup = IntArg(args, "--warmup", 0);
        if (warmup > 0)
            await RunAsync(line, delivered, senders, warmup * rate, pace: TimeSpan.FromSeconds(1.0 / rate));
        // Other work on the machine skews every figure; the load average says how much there was.
        var loadBefore = LoadAverage();
        Console.WriteLine($"LINE webhook benchmark: {Environment.ProcessorCount} cores; web host, fake LINE platform and PostgreSQL on loopback; one knowledge question per webhook (the project's articles)");
        Console.WriteLine();
        // --only one,paced,burst,faults runs a subset (the faults scenario's drain is compared with the paced run's).
        var only = StringArg(args, "--only")?.Split(',') ?? ["one", "paced", "burst", "faults"];
        var probes = new List<string>();
        async Task<Result> Scenario(string label, Func<Task<Result>> run)
        {
            await using var probe = await LoadProbe.StartAsync(db.ConnectionString);
            var result = await run();
            probes.Add($"{label}: {await probe.StopAsync()}; load average {LoadAverage()}");
            Report(label, result);
            return result;
        }
        Console.WriteLine("| scenario | webhooks | acks/s | ack p50 ms | ack p99 ms | ack max ms | reply p50 ms | reply p95 ms | reply p99 ms | drain s | non-200 | lost | twice |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Result? paced = null, faulty = null;
        if (only.Contains("one"))
            await Scenario($"{senders} senders, one webhook per second each", () => RunAsync(line, delivered, senders, seconds, pace: TimeSpan.FromSeconds(1)));
        if (only.Contains("paced"))
            paced = await Scenario($"{senders} senders, {rate} webhooks per second each", () => RunAsync(line, delivered, senders, seconds * rate, pace: TimeSpan.FromSeconds(1.0 / rate)));
        if (only.Contains("burst"))
            await Scenario($"{senders} concurrent senders, back-to-back", () => RunAsync(line, delivered, senders, perSender, pace: null));
        if (only.Contains("faults"))
        {
            line.Faults = FakeFaults.Share(hangPercent / 100.0, FakeOutcome.Hang);
            faulty = await Scenario($"{senders} senders, {rate} webhooks per second each, {hangPercent} % of LINE calls hang past the 2 s timeout",
                () => RunAsync(line, delivered, senders, seconds * rate, pace: TimeSpan.FromSeconds(1.0 / rate)));
            line.Faults = null;
        }
        Console.WriteLine();
        Console.WriteLine("ack = webhook POST answered (event recorded durably); reply = from the start of the POST to the answer (reply or push) reaching the fake platform;");
        Console.WriteLine("drain = from the first webhook until every answer was delivered; lost / twice = answers never delivered / delivered more than once.");
        foreach (var probe in probes)
            Console.WriteLine(probe);
        if (faulty is not null)
            Console.WriteLine($"faults: {line.Calls.Count(c => c.Fault == FakeOutcome.Hang)} hung calls" +
                (paced is null ? "" : $"; drain {faulty.Drain:F1} s against {paced.Drain:F1} s without faults ({faulty.Drain / paced.Drain:F2}x)") + ".");

        await Task.Delay(500);
        await using var check = NpgsqlDataSource.Create(db.ConnectionString);
        await using var cmd = check.CreateCommand("select count(*) from conversation.inbound");
        var left = (long)(await cmd.ExecuteScalarAsync())!;
        Console.WriteLine($"left unprocessed: {left}; Messaging API calls: {line.Calls.Count}; load average before/after: {loadBefore} / {LoadAverage()}");
        return left == 0 && faulty is not { Lost: > 0 } ? 0 : 1;
    }

    static async Task<Result> RunAsync(FakeLinePlatform line, ConcurrentDictionary<string, ConcurrentQueue<long>> delivered, int senders, int webhooksEach, TimeSpan? pace)
    {
        var acks = new ConcurrentBag<double>();
        var sent = new ConcurrentDictionary<string, List<long>>();
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
        {
            var user = "U" + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
            var mine = sent[user] = [];
            if (pace is { } spread)
                await Task.Delay(spread * s / senders);
            var next = Stopwatch.GetTimestamp();
            for (var i = 0; i < webhooksEach; i++)
            {
                // Distinct answerable questions in turn: a repeated or unanswerable one would hand the user to a coordinator.
                var e = line.Events.Text(user, BenchQuestions.Answerable[(s + i) % BenchQuestions.Answerable.Count]);
                var body = line.WebhookBody(e);
                var signature = line.Sign(body);
                var started = Stopwatch.GetTimestamp();
                mine.Add(started);
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
        int Count(string user) => delivered.TryGetValue(user, out var q) ? q.Count : 0;
        var deadline = Stopwatch.StartNew();
        while (sent.Any(s => Count(s.Key) < s.Value.Count) && deadline.Elapsed < TimeSpan.FromMinutes(3))
            await Task.Delay(50);
        // A moment more, so that a late duplicate is counted too.
        await Task.Delay(1000);
        var ackSorted = acks.Order().ToList();
        var e2e = new List<double>();
        var last = 0L;
        int lost = 0, twice = 0;
        foreach (var (user, starts) in sent)
        {
            var arrivals = delivered.TryGetValue(user, out var q) ? q.ToArray() : [];
            for (var i = 0; i < Math.Min(starts.Count, arrivals.Length); i++)
                e2e.Add(Stopwatch.GetElapsedTime(starts[i], arrivals[i]).TotalMilliseconds);
            if (arrivals.Length > 0)
                last = Math.Max(last, arrivals[Math.Min(starts.Count, arrivals.Length) - 1]);
            lost += Math.Max(0, starts.Count - arrivals.Length);
            twice += Math.Max(0, arrivals.Length - starts.Count);
        }
        e2e.Sort();
        var first = sent.Values.Where(v => v.Count > 0).Min(v => v[0]);
        return new Result(ackSorted.Count, ackSorted.Count / elapsed, Percentiles.Of(ackSorted, 50), Percentiles.Of(ackSorted, 99), ackSorted[^1],
            Percentiles.Of(e2e, 50), Percentiles.Of(e2e, 95), Percentiles.Of(e2e, 99), Stopwatch.GetElapsedTime(first, last).TotalSeconds, failures, lost, twice);
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    static void Report(string scenario, Result r) =>
        Console.WriteLine($"| {scenario} | {r.Webhooks} | {r.PerSecond:F0} | {r.AckP50:F1} | {r.AckP99:F1} | {r.AckMax:F1} | {r.E2eP50:F1} | {r.E2eP95:F1} | {r.E2eP99:F1} | {r.Drain:F1} | {r.Failures} | {r.Lost} | {r.Twice} |");

    static string? StringArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    sealed record Result(int Webhooks, double PerSecond, double AckP50, double AckP99, double AckMax, double E2eP50, double E2eP95, double E2eP99,
        double Drain, int Failures, int Lost, int Twice);
}

/// <summary>
/// Where the CPU went during a scenario: this process (web host, fake platform and the load driver), PostgreSQL's
/// processes (the postmaster of the bench database and its children) and everything else on the machine, with the
/// garbage collector's pauses and the thread pool's longest queue.
/// </summary>
public sealed class LoadProbe : IAsyncDisposable
{
    readonly int postmaster;
    readonly long startedAt = Stopwatch.GetTimestamp();
    readonly (double Self, double Postgres, double Busy, double Total) before;
    readonly int[] gcBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    readonly TimeSpan pausedBefore = GC.GetTotalPauseDuration();
    readonly long allocatedBefore = GC.GetTotalAllocatedBytes();
    readonly TimeSpan jitBefore = System.Runtime.JitInfo.GetCompilationTime();
    readonly CancellationTokenSource stop = new();
    readonly Task sampling;
    long maxQueue;
    int maxThreads;

    LoadProbe(int postmaster)
    {
        this.postmaster = postmaster;
        before = Read();
        sampling = SampleAsync();
    }

    public static async Task<LoadProbe> StartAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        return new LoadProbe(ParentOf(conn.ProcessID));
    }

    async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                maxQueue = Math.Max(maxQueue, ThreadPool.PendingWorkItemCount);
                maxThreads = Math.Max(maxThreads, ThreadPool.ThreadCount);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>CPU in cores (1.0 = one core busy all the time) over the probe's life, and the runtime's figures.</summary>
    public async Task<string> StopAsync()
    {
        await stop.CancelAsync();
        await sampling;
        var after = Read();
        var wall = Stopwatch.GetElapsedTime(startedAt).TotalSeconds;
        double Cores(double a, double b) => (a - b) / wall;
        var self = Cores(after.Self, before.Self);
        var postgres = Cores(after.Postgres, before.Postgres);
        var busy = (after.Busy - before.Busy) / (after.Total - before.Total) * Environment.ProcessorCount;
        return $"CPU cores: host process {self:F2}, PostgreSQL {postgres:F2}, rest of the machine {Math.Max(0, busy - self - postgres):F2} (of {Environment.ProcessorCount}); " +
            $"GC {GC.CollectionCount(0) - gcBefore[0]}/{GC.CollectionCount(1) - gcBefore[1]}/{GC.CollectionCount(2) - gcBefore[2]} (gen0/1/2), " +
            $"paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds:F0} ms, {(GC.GetTotalAllocatedBytes() - allocatedBefore) / wall / 1e6:F0} MB/s allocated; " +
            $"JIT {(System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds:F0} ms; thread pool up to {maxThreads} threads, queue up to {maxQueue}";
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
            await StopAsync();
        stop.Dispose();
    }

    (double Self, double Postgres, double Busy, double Total) Read()
    {
        var postgres = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } s && (pid == postmaster || s.Parent == postmaster))
                postgres += s.Seconds;
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(double.Parse).ToArray();
        var idle = cpu[3] + cpu[4];
        return (Stat(Environment.ProcessId)?.Seconds ?? 0, postgres, cpu.Take(8).Sum() - idle, cpu.Take(8).Sum());
    }

    static readonly double Tick = 100.0;

    static (int Parent, double Seconds)? Stat(int pid)
    {
        try
        {
            // Fields after the command name, which is in parentheses and may hold spaces.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var f = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(f[1]), (double.Parse(f[11]) + double.Parse(f[12])) / Tick);
        }
        catch (IOException)
        {
            return null;
        }
    }

    static int ParentOf(int pid) => Stat(pid)?.Parent ?? 0;
}
