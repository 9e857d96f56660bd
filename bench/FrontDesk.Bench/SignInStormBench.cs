using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using FrontDesk.Bot.Staff;
using FrontDesk.FakeLine;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FrontDesk.Bench;

/// <summary>
/// Console sign-in attempts hammering the host while LINE users post: the webhook's acknowledgement must not suffer
/// from password hashing (issue 14). Also measures the cost of an unknown login against a known one with a wrong
/// password, which must be the same.
/// </summary>
public static class SignInStormBench
{
    const string Password = "storm bench password";

    public static async Task<int> RunAsync(string[] args)
    {
        var senders = IntArg(args, "--senders", 100);
        var rate = IntArg(args, "--rate", 3);
        var seconds = IntArg(args, "--seconds", 15);
        var storm = IntArg(args, "--sign-ins", 16);
        await using var db = await BenchDatabase.CreateAsync();
        await using var line = await FakeLinePlatform.StartAsync(new FakeLineSettings { ValidateRequests = false });
        var settings = new Dictionary<string, string?>(line.BotSettings)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Database:ConnectionString"] = db.ConnectionString,
            // The limits would turn most of the storm into quick 429s; lifted, every attempt costs a full password check.
            ["Staff:SignInsPerAddressPerMinute"] = "100000",
            ["Staff:SignInsPerLoginPerMinute"] = "100000",
        };
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FRONTDESK_BOT", Path.Combine(RepositoryRoot.Path, "bot", "FrontDesk.Bot"));
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", settings: settings);
        using (var http = app.CreateClient())
            line.WebhookUrl = new Uri(http.BaseAddress!, "/line/webhook");
        await KnowledgeContent.LoadAsync(app.Services, KnowledgeContent.ArticlesFolder);
        var accounts = app.Services.GetRequiredService<StaffAccounts>();
        await accounts.AddAsync("storm", "ストーム", "coordinator", Password, CancellationToken.None);
        await accounts.AddAsync("storm-locked", "ロック中", "coordinator", Password, CancellationToken.None);
        await using var data = NpgsqlDataSource.Create(db.ConnectionString);
        await using (var lockIt = data.CreateCommand("update staff.accounts set failed_attempts = 5, locked_until = now() + interval '1 day' where login = 'storm-locked'"))
            await lockIt.ExecuteNonQueryAsync();

        Console.WriteLine($"Sign-in storm benchmark: {Environment.ProcessorCount} cores, password checks on {app.Services.GetRequiredService<PasswordVerifier>().Threads} dedicated thread(s); " +
            $"web host, fake LINE platform and PostgreSQL on loopback; {senders} LINE senders at {rate} webhooks/s each for {seconds} s");
        Console.WriteLine();
        // Warm-up long enough for the JIT to finish its second tier on the webhook and turn paths (a host runs for days).
        await WebhooksAsync(line, senders, IntArg(args, "--warmup", 10), rate, CancellationToken.None);
        var timing = await TimingAsync(app, data);

        Console.WriteLine("| scenario | webhooks | ack p50 ms | ack p99 ms | ack max ms | non-200 | sign-in attempts | attempts/s | sign-in p50 ms | sign-in p99 ms | answers |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        var load = new List<string> { LoadAverage() };
        var probe = await LoadProbe.StartAsync(db.ConnectionString);
        var quiet = await WebhooksAsync(line, senders, seconds, rate, CancellationToken.None);
        var quietLoad = await probe.StopAsync();
        Row($"{senders} senders, no sign-ins", quiet, null);
        load.Add(LoadAverage());

        using var stop = new CancellationTokenSource();
        probe = await LoadProbe.StartAsync(db.ConnectionString);
        var stormTask = StormAsync(app, storm, stop.Token);
        var loud = await WebhooksAsync(line, senders, seconds, rate, CancellationToken.None);
        await stop.CancelAsync();
        var signIns = await stormTask;
        var stormLoad = await probe.StopAsync();
        Row($"{senders} senders + {storm} concurrent sign-in loops", loud, signIns);
        load.Add(LoadAverage());
        Console.WriteLine();
        Console.WriteLine($"ack = webhook POST answered. Sign-in loops alternate an unknown login, a wrong password for a real account and a locked one.");
        Console.WriteLine($"timing: unknown login median {timing.Unknown:F1} ms, known login with a wrong password median {timing.Known:F1} ms, ratio {timing.Unknown / timing.Known:F2} ({timing.Samples} each, interleaved, no other load)");
        Console.WriteLine($"no sign-ins: {quietLoad}");
        Console.WriteLine($"sign-in storm: {stormLoad}");
        Console.WriteLine($"load average at start / after the quiet run / after the storm: {string.Join(" / ", load)}");
        return loud.AckP99 <= 50 ? 0 : 1;
    }

    sealed record Webhooks(int Count, double AckP50, double AckP99, double AckMax, int Failures);

    sealed record Storm(int Attempts, double PerSecond, double P50, double P99, string Answers);

    static async Task<Webhooks> WebhooksAsync(FakeLinePlatform line, int senders, int seconds, int rate, CancellationToken ct)
    {
        var acks = new ConcurrentBag<double>();
        var failures = 0;
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
        {
            var user = "U" + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
            await Task.Delay(interval * s / senders, ct);
            var next = Stopwatch.GetTimestamp();
            for (var i = 0; i < seconds * rate; i++)
            {
                var body = line.WebhookBody(line.Events.Text(user, BenchQuestions.Answerable[(s + i) % BenchQuestions.Answerable.Count]));
                var signature = line.Sign(body);
                var started = Stopwatch.GetTimestamp();
                using (var response = await line.PostWebhookAsync(body, signature, ct: ct))
                {
                    acks.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (response.StatusCode != HttpStatusCode.OK)
                        Interlocked.Increment(ref failures);
                }
                next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, ct);
            }
        }, ct)));
        var sorted = acks.Order().ToList();
        return new Webhooks(sorted.Count, Percentiles.Of(sorted, 50), Percentiles.Of(sorted, 99), sorted[^1], failures);
    }

    static async Task<Storm> StormAsync(FrontDeskWebApp app, int loops, CancellationToken stop)
    {
        var latencies = new ConcurrentBag<double>();
        var answers = new ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, loops).Select(l => Task.Run(async () =>
        {
            using var http = app.CreateBrowser();
            var page = await http.GetStringAsync("/console/sign-in");
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var login = (i % 3) switch { 0 => $"nobody-{l}-{i}", 1 => "storm", _ => "storm-locked" };
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/console/sign-in", ConsoleForms.Form(page, ("login", login), ("password", "wrong password " + i)));
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                answers.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            }
        })));
        var sorted = latencies.Order().ToList();
        return new Storm(sorted.Count, sorted.Count / clock.Elapsed.TotalSeconds, Percentiles.Of(sorted, 50), Percentiles.Of(sorted, 99),
            string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}×{a.Value}")));
    }

    /// <summary>Sequential attempts, unknown and known-but-wrong interleaved; the known account's counter is reset so it never locks.</summary>
    static async Task<(double Unknown, double Known, int Samples)> TimingAsync(FrontDeskWebApp app, NpgsqlDataSource data)
    {
        const int samples = 30;
        using var http = app.CreateBrowser();
        var page = await http.GetStringAsync("/console/sign-in");
        var unknown = new List<double>();
        var known = new List<double>();
        for (var i = 0; i < samples + 3; i++)
        {
            await using (var reset = data.CreateCommand("update staff.accounts set failed_attempts = 0, locked_until = null where login = 'storm'"))
                await reset.ExecuteNonQueryAsync();
            foreach (var (login, into) in i % 2 == 0 ? new[] { ($"nobody-{i}", unknown), ("storm", known) } : [("storm", known), ($"nobody-{i}", unknown)])
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/console/sign-in", ConsoleForms.Form(page, ("login", login), ("password", "not the password")));
                if (i >= 3) // the first rounds warm up
                    into.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        return (Median(unknown), Median(known), samples);
    }

    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    static void Row(string scenario, Webhooks w, Storm? s) =>
        Console.WriteLine($"| {scenario} | {w.Count} | {w.AckP50:F1} | {w.AckP99:F1} | {w.AckMax:F1} | {w.Failures} | " +
            (s is null ? "– | – | – | – | – |" : $"{s.Attempts} | {s.PerSecond:F1} | {s.P50:F0} | {s.P99:F0} | {s.Answers} |"));

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
