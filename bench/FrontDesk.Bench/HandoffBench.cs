using System.Collections.Concurrent;
using System.Diagnostics;
using FrontDesk.Bot.Coordinators;
using FrontDesk.Bot.Staff;
using FrontDesk.FakeLine;
using FrontDesk.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bench;

/// <summary>
/// The live console under load: coordinators on the SignalR hub, LINE users (the fake platform) handed off to them.
/// Measures (1) a user's message, from the start of its webhook POST to its arrival at the owning coordinator's hub
/// client, and (2) a coordinator's hub reply, from the invocation to the push reaching the fake LINE platform.
/// </summary>
public static class HandoffBench
{
    const string Password = "bench coordinator password";

    public static async Task<int> RunAsync(string[] args)
    {
        var coordinators = IntArg(args, "--coordinators", 20);
        var conversations = IntArg(args, "--conversations", 200);
        var seconds = IntArg(args, "--seconds", 20);
        var rate = IntArg(args, "--rate", 20);
        await using var db = await BenchDatabase.CreateAsync();
        await using var line = await FakeLinePlatform.StartAsync(new FakeLineSettings { ValidateRequests = false });
        var settings = new Dictionary<string, string?>(line.BotSettings)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Database:ConnectionString"] = db.ConnectionString,
        };
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FRONTDESK_BOT", Path.Combine(RepositoryRoot.Path, "bot", "FrontDesk.Bot"));
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", settings: settings);
        using (var http = app.CreateClient())
            line.WebhookUrl = new Uri(http.BaseAddress!, "/line/webhook");

        // Arrivals, stamped where they land: at the coordinator that owns the conversation, and at the fake platform.
        var atCoordinator = new ConcurrentDictionary<string, long>();
        var atLine = new ConcurrentDictionary<string, long>();
        line.CallRecorded += call =>
        {
            if (call.Path == "/v2/bot/message/push" && call.Body?["messages"]?[0]?["text"]?.GetValue<string>() is { } text && text.StartsWith("reply-", StringComparison.Ordinal))
                atLine.TryAdd(text, Stopwatch.GetTimestamp());
        };

        var accounts = app.Services.GetRequiredService<StaffAccounts>();
        var staff = new List<HubCoordinator>();
        for (var c = 0; c < coordinators; c++)
        {
            await accounts.AddAsync($"bench{c}", $"ベンチ{c}", "coordinator", Password, CancellationToken.None);
            var coordinator = await HubCoordinator.SignInAsync(app.ServerAddress, $"bench{c}", Password);
            var login = $"bench{c}";
            coordinator.Hub.On<ConversationChange>(ConsoleHub.ChangeEvent, change =>
            {
                if (change.Coordinator != login)
                    return;
                foreach (var l in change.Recent)
                    if (l.Inbound && l.Text.StartsWith("msg-", StringComparison.Ordinal))
                        atCoordinator.TryAdd(l.Text, Stopwatch.GetTimestamp());
            });
            staff.Add(coordinator);
        }

        // Every user asks for a person; the coordinators share the queue out between them.
        var users = Enumerable.Range(0, conversations).Select(_ => LineEvents.NewUserId()).ToList();
        await Task.WhenAll(users.Select(u => line.SendWebhookAsync(line.Events.Text(u, "相談員と話したい"))));
        await WaitAsync(() => staff[0].Changes.Where(c => c.Status == "waiting").Select(c => c.Key).Distinct().Count() >= conversations, "the queue to fill");
        var owner = new Dictionary<string, HubCoordinator>();
        for (var i = 0; i < users.Count; i++)
        {
            var coordinator = staff[i % staff.Count];
            var claimed = await coordinator.InvokeAsync("Claim", "line:" + users[i]);
            if (!claimed.Ok)
                throw new InvalidOperationException("A bench claim failed: " + claimed.Message);
            owner[users[i]] = coordinator;
        }

        var loadBefore = LoadAverage();
        Console.WriteLine($"Handoff benchmark: {Environment.ProcessorCount} cores; web host, fake LINE platform, PostgreSQL and {coordinators} SignalR coordinator clients on loopback");
        Console.WriteLine($"{conversations} claimed LINE conversations; users and coordinators each send {rate} messages per second in all, for {seconds} s, at the same time");
        Console.WriteLine();

        var inbound = new ConcurrentDictionary<string, long>();
        var outbound = new ConcurrentDictionary<string, long>();
        var total = seconds * rate;
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(UserLoop(), StaffLoop());

        async Task UserLoop()
        {
            var sends = new List<Task>();
            for (var n = 0; n < total; n++)
            {
                var user = users[n % users.Count];
                var text = $"msg-{n}";
                sends.Add(Task.Run(async () =>
                {
                    inbound[text] = Stopwatch.GetTimestamp();
                    using var response = await line.SendWebhookAsync(line.Events.Text(user, text));
                }));
                await PaceAsync(clock, interval * (n + 1));
            }
            await Task.WhenAll(sends);
        }

        async Task StaffLoop()
        {
            var sends = new List<Task>();
            for (var n = 0; n < total; n++)
            {
                var user = users[(n * 7 + 3) % users.Count];
                var text = $"reply-{n}";
                sends.Add(Task.Run(async () =>
                {
                    outbound[text] = Stopwatch.GetTimestamp();
                    var result = await owner[user].InvokeAsync("Reply", "line:" + user, text);
                    if (!result.Ok)
                        throw new InvalidOperationException("A bench reply failed: " + result.Message);
                }));
                await PaceAsync(clock, interval * (n + 1));
            }
            await Task.WhenAll(sends);
        }

        await WaitAsync(() => inbound.Keys.All(atCoordinator.ContainsKey) && outbound.Keys.All(atLine.ContainsKey), "every message to arrive", allowTimeout: true);
        var toConsole = Latencies(inbound, atCoordinator);
        var toLine = Latencies(outbound, atLine);
        Console.WriteLine("| direction | messages | arrived | p50 ms | p95 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Report("user (LINE webhook) → coordinator's hub client", inbound.Count, toConsole);
        Report("coordinator's hub reply → fake LINE platform (push)", outbound.Count, toLine);
        Console.WriteLine();
        Console.WriteLine($"load average before/after: {loadBefore} / {LoadAverage()}");
        foreach (var coordinator in staff)
            await coordinator.DisposeAsync();
        return toConsole.Count == inbound.Count && toLine.Count == outbound.Count ? 0 : 1;
    }

    static List<double> Latencies(ConcurrentDictionary<string, long> sent, ConcurrentDictionary<string, long> arrived) =>
        sent.Where(s => arrived.ContainsKey(s.Key)).Select(s => Stopwatch.GetElapsedTime(s.Value, arrived[s.Key]).TotalMilliseconds).Order().ToList();

    static void Report(string direction, int sent, List<double> sorted) =>
        Console.WriteLine($"| {direction} | {sent} | {sorted.Count} | {Percentiles.Of(sorted, 50):F1} | {Percentiles.Of(sorted, 95):F1} | {Percentiles.Of(sorted, 99):F1} | {(sorted.Count == 0 ? double.NaN : sorted[^1]):F1} |");

    static async Task PaceAsync(Stopwatch clock, TimeSpan due)
    {
        var wait = due - clock.Elapsed;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
    }

    static async Task WaitAsync(Func<bool> done, string what, bool allowTimeout = false)
    {
        var deadline = Stopwatch.StartNew();
        while (!done())
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                if (allowTimeout)
                    return;
                throw new TimeoutException("Timed out waiting for " + what);
            }
            await Task.Delay(20);
        }
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
