using System.Diagnostics;
using Activity = FrontDesk.Bot.Conversations.Activity;
using FrontDesk.Bot;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows;
using FrontDesk.Bot.Infrastructure;
using FrontDesk.Knowledge.Database;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Bench;

/// <summary>
/// Turns per second and turn latency through the real engine (state, transcript and ordering in PostgreSQL),
/// driving the intake questionnaire so every turn loads, runs and saves a flow. No answer generation is involved.
/// </summary>
public static class EngineBench
{
    static readonly Activity[] Script =
    [
        Activity.Command(Commands.StartFlow, "intake"),
        Activity.Message("二地域居住"),
        Activity.Message("3人"),
        Activity.Message("1年以内"),
        Activity.Message("長野県松本市"),
        Activity.Message("はい"),
        Activity.Message("メニュー"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var turns = IntArg(args, "--turns", 30);
        var conversations = IntArg(args, "--conversations", 100);
        await using var db = await BenchDatabase.CreateAsync();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Database:ConnectionString"] = db.ConnectionString });
        builder.AddDatabase();
        builder.AddAllSchemas();
        builder.AddConversationEngine();
        builder.Services.AddSingleton<IChannelSender>(new DiscardingSender());
        using var host = builder.Build();
        await host.StartAsync();
        var engine = host.Services.GetRequiredService<ConversationEngine>();

        await RunScenarioAsync(engine, "warm-up", 20, 20, pace: null);
        Console.WriteLine($"Engine benchmark: {Environment.ProcessorCount} cores, PostgreSQL on loopback");
        Console.WriteLine("| scenario | turns | turns/s | p50 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Report("1 conversation, back-to-back", await RunScenarioAsync(engine, "seq", 1, turns * 10, pace: null));
        Report($"{conversations} conversations, one message each per second", await RunScenarioAsync(engine, "paced", conversations, turns, pace: TimeSpan.FromSeconds(1)));
        Report($"{conversations} conversations, back-to-back (saturation)", await RunScenarioAsync(engine, "sat", conversations, turns, pace: null));

        await using var check = host.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(
            "select (select count(*) from conversation.inbound), (select count(*) from conversation.transcript where direction = 'i')");
        await using var reader = await check.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine($"left unprocessed: {reader.GetInt64(0)}, inbound activities in transcripts: {reader.GetInt64(1)}");
        await host.StopAsync();
        return reader.GetInt64(0) == 0 ? 0 : 1;
    }

    static void Report(string scenario, Result r) =>
        Console.WriteLine($"| {scenario} | {r.Turns} | {r.PerSecond:F0} | {r.P50:F2} | {r.P99:F2} | {r.Max:F2} |");

    /// <summary>Each conversation sends its turns one after another; with a pace, it waits so that it sends one per interval, like a person would.</summary>
    static async Task<Result> RunScenarioAsync(ConversationEngine engine, string prefix, int conversations, int turnsEach, TimeSpan? pace)
    {
        var latencies = new List<double>[conversations];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, conversations).Select(c => Task.Run(async () =>
        {
            var address = new ConversationAddress("bench", $"{prefix}-{c}");
            var own = latencies[c] = new List<double>(turnsEach);
            if (pace is { } spread)
                await Task.Delay(spread * c / conversations); // spread the conversations over the interval
            var next = Stopwatch.GetTimestamp();
            for (var t = 0; t < turnsEach; t++)
            {
                var started = Stopwatch.GetTimestamp();
                await engine.HandleAsync(address, Script[t % Script.Length], CancellationToken.None);
                own.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Result(all.Count, all.Count / elapsed, Percentiles.Of(all, 50), Percentiles.Of(all, 99), all[^1]);
    }

    static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    sealed record Result(int Turns, double PerSecond, double P50, double P99, double Max);

    sealed class DiscardingSender : IChannelSender
    {
        public string Channel => "bench";
        public Task SendAsync(ConversationAddress address, Activity inbound, IReadOnlyList<Activity> replies, CancellationToken ct) => Task.CompletedTask;
    }
}
