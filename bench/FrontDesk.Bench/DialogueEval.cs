using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Activity = FrontDesk.Bot.Conversations.Activity;
using FrontDesk.Bot;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Infrastructure;
using FrontDesk.Bot.Terminal;
using FrontDesk.Jobs.Knowledge;
using FrontDesk.Jobs.Listings;
using FrontDesk.Knowledge.Database;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Bench;

/// <summary>
/// `./frontdesk eval dialogues FILE…`: scripted conversations through the real engine with the demo content (articles,
/// sample listings, guides, the demo office), as `./frontdesk chat` runs it. Each turn says what the bot's replies must
/// and must not contain; a conversation passes when every turn does. Prints the share that pass, and for a file that is
/// not a held-out set, what failed.
/// </summary>
public static class DialogueEval
{
    static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public sealed record Turn(string? Say, string? Press, string? Event, double? WaitMinutes, string[]? Must, string[]? Not);

    public sealed record Dialogue(string Id, string? Channel, DateTimeOffset? At, Turn[] Turns);

    public static async Task<int> RunAsync(string[] args)
    {
        var files = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine("Usage: eval dialogues FILE.jsonl [FILE.jsonl…]");
            return 2;
        }
        await using var db = await BenchDatabase.CreateAsync();
        var clock = new ScriptClock();
        var sender = new CapturingSender("test");
        var kiosk = new CapturingSender("kiosk");
        var root = RepositoryRoot();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Path.Combine(root, "bot", "FrontDesk.Bot"),
            EnvironmentName = "Development",
        });
        builder.Logging.ClearProviders();
        // Throwaway personal-data keys, as `./frontdesk up` makes for the demo, so the registration form runs.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = db.ConnectionString,
            ["Registration:Keys:eval"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Registration:ActiveKey"] = "eval",
            ["Registration:IndexKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        });
        builder.AddDatabase();
        builder.AddAllSchemas();
        builder.AddConversationEngine();
        builder.AddKnowledgeJobs(schedule: false);
        builder.AddListingJobs(schedule: false);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IChannelSender>(sender);
        builder.Services.AddSingleton<IChannelSender>(kiosk);
        using var host = builder.Build();
        var ct = CancellationToken.None;
        await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync(ct);
        await TerminalChat.LoadContentAsync(host.Services, ct);
        var engine = host.Services.GetRequiredService<ConversationEngine>();

        var failed = 0;
        foreach (var file in files)
        {
            var heldOut = Path.GetFileName(file).Contains("heldout", StringComparison.Ordinal);
            if (Read(file) is not { } dialogues)
                return 2;
            var passed = 0;
            foreach (var dialogue in dialogues)
            {
                var problem = await RunAsync(engine, dialogue, clock, dialogue.Channel == "kiosk" ? kiosk : sender, ct);
                if (problem is null)
                    passed++;
                else if (!heldOut)
                    Console.WriteLine($"FAIL {dialogue.Id}: {problem}");
            }
            failed += dialogues.Count - passed;
            Console.WriteLine($"{Path.GetFileName(file)}: {passed}/{dialogues.Count} conversations pass ({(double)passed / Math.Max(1, dialogues.Count):F3})");
        }
        return failed == 0 ? 0 : 1;
    }

    // The conversations of a file, or null after saying which line is not one.
    static List<Dialogue>? Read(string file)
    {
        var dialogues = new List<Dialogue>();
        var lines = File.Exists(file) ? File.ReadAllLines(file) : null;
        if (lines is null)
        {
            Console.Error.WriteLine($"{file}: no such file");
            return null;
        }
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
                continue;
            try
            {
                var dialogue = JsonSerializer.Deserialize<Dialogue>(lines[i], Json);
                if (dialogue is not { Id.Length: > 0, Turns.Length: > 0 } || dialogue.Turns.Any(t => t is null || (t.Say ?? t.Press ?? t.Event) is null && t.WaitMinutes is null))
                    throw new JsonException("a conversation needs an id and turns, each with say, press, event or waitMinutes");
                dialogues.Add(dialogue);
            }
            catch (JsonException e)
            {
                Console.Error.WriteLine($"{file}:{i + 1}: not a conversation: {e.Message}");
                return null;
            }
        }
        return dialogues;
    }

    // The first turn that does not hold, or null.
    static async Task<string?> RunAsync(ConversationEngine engine, Dialogue dialogue, ScriptClock clock, CapturingSender sender, CancellationToken ct)
    {
        // Tuesday 10:00 in Tokyo unless the script says when.
        clock.Now = dialogue.At ?? new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(9));
        var address = new ConversationAddress(sender.Channel, $"{dialogue.Id}-{Guid.NewGuid():N}"[..24]);
        List<Activity> last = [];
        for (var i = 0; i < dialogue.Turns.Length; i++)
        {
            var turn = dialogue.Turns[i];
            if (turn.WaitMinutes is { } minutes)
                clock.Now += TimeSpan.FromMinutes(minutes);
            Activity? inbound = null;
            if (turn.Say is { } text)
                inbound = Activity.Message(text);
            else if (turn.Event is { } name)
                inbound = Activity.Event(name);
            else if (turn.Press is { } title)
            {
                var button = last.SelectMany(r => r.Cards.SelectMany(c => c.Buttons).Concat(r.SuggestedActions)).LastOrDefault(b => b.Title == title);
                if (button is null)
                    return $"turn {i + 1}: no button 「{title}」 (buttons: {string.Join(" / ", last.SelectMany(r => r.Cards.SelectMany(c => c.Buttons).Concat(r.SuggestedActions)).Select(b => b.Title))})";
                inbound = button.Kind == CardActionKind.Command ? Activity.Command(button.Value, button.CommandArgument) with { Text = button.Title } : Activity.Message(button.Value);
            }
            if (inbound is null)
                continue;
            var before = sender.Count(address);
            await engine.HandleAsync(address, inbound, ct);
            last = sender.Since(address, before);
            var said = string.Join("\n", last.Select(Readable));
            foreach (var must in turn.Must ?? [])
                if (!said.Contains(must, StringComparison.Ordinal))
                    return $"turn {i + 1} ({turn.Say ?? turn.Press ?? turn.Event}): missing 「{must}」 in: {Short(said)}";
            foreach (var not in turn.Not ?? [])
                if (said.Contains(not, StringComparison.Ordinal))
                    return $"turn {i + 1} ({turn.Say ?? turn.Press ?? turn.Event}): should not say 「{not}」 in: {Short(said)}";
        }
        return null;
    }

    static string Short(string text) => (text.Length > 160 ? text[..160] + "…" : text).ReplaceLineEndings(" / ");

    // What a person sees of a reply: its text, its cards and the labels of its buttons.
    static string Readable(Activity a) => string.Join("\n", new[] { a.Text }
        .Concat(a.Cards.SelectMany(c => new[] { c.Title, c.Subtitle, c.Text }.Concat(c.Facts.Select(f => $"{f.Label}: {f.Value}")).Concat(c.Buttons.Select(b => $"[{b.Title}]"))))
        .Concat(a.SuggestedActions.Select(b => $"[{b.Title}]"))
        .Where(t => !string.IsNullOrEmpty(t)));

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FrontDesk.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Run from inside the repository.");
    }

    /// <summary>The scripts' clock: set to each conversation's time, moved on by its waits.</summary>
    sealed class ScriptClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
    }

    sealed class CapturingSender(string channel) : IChannelSender
    {
        readonly Dictionary<string, List<Activity>> sent = [];
        public string Channel => channel;

        public Task SendAsync(ConversationAddress address, Activity inbound, IReadOnlyList<Activity> replies, CancellationToken ct)
        {
            lock (sent)
            {
                if (!sent.TryGetValue(address.Key, out var list))
                    sent[address.Key] = list = [];
                list.AddRange(replies);
            }
            return Task.CompletedTask;
        }

        public int Count(ConversationAddress address)
        {
            lock (sent)
                return sent.TryGetValue(address.Key, out var list) ? list.Count : 0;
        }

        public List<Activity> Since(ConversationAddress address, int from)
        {
            lock (sent)
                return sent.TryGetValue(address.Key, out var list) ? list.Skip(from).ToList() : [];
        }
    }
}
