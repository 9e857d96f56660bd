using System.Text.Json.Nodes;
using FrontDesk.FakeLine;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FrontDesk.Testing.FakeLine;

/// <summary>What <see cref="LineBot.SettleAsync"/> saw: the sentinel's answer, and the messages the user received before it.</summary>
public sealed record Settled(ApiCall Answer, IReadOnlyList<JsonObject> Before)
{
    /// <summary>Whether the call is a reply or push made before the sentinel's answer.</summary>
    public bool SentBefore(ApiCall call) => call.Sequence < Answer.Sequence && call.Path is "/v2/bot/message/reply" or "/v2/bot/message/push";
}

/// <summary>The real web host wired to a fake LINE platform on loopback: webhooks in, Messaging API calls out.</summary>
public sealed class LineBot : IAsyncDisposable
{
    readonly bool ownsPlatform;

    LineBot(FakeLinePlatform line, FrontDeskWebApp app, bool ownsPlatform)
    {
        Line = line;
        App = app;
        this.ownsPlatform = ownsPlatform;
    }

    public FakeLinePlatform Line { get; }
    public FrontDeskWebApp App { get; }
    public LineEvents Events => Line.Events;

    /// <summary>Starts the bot against <paramref name="platform"/> (or a new fake) with fast retries and the loading animation after 5 s.</summary>
    public static async Task<LineBot> StartAsync(string connectionString, FakeLinePlatform? platform = null,
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var line = platform ?? await FakeLinePlatform.StartAsync();
        var all = new Dictionary<string, string?>(line.BotSettings)
        {
            ["Line:PushRetryDelay"] = "00:00:00.010",
            ["Line:LoadingAnimationAfter"] = "00:00:05",
            ["Conversations:PendingSweepInterval"] = "00:00:00.200",
            // Long enough for a send under way to finish, short enough for a test whose LINE calls hang.
            ["Conversations:DeliveryStopGrace"] = "00:00:02",
            // Plumbing tests send many unanswerable messages; they are not about handing off.
            ["Handoff:DeclinesBeforeHandoff"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        var app = new FrontDeskWebApp(connectionString, settings: all, services: services);
        using (var http = app.CreateClient())
            line.WebhookUrl = new Uri(http.BaseAddress!, "/line/webhook");
        return new LineBot(line, app, ownsPlatform: platform is null);
    }

    public Task<HttpResponseMessage> SendAsync(params JsonObject[] events) => Line.SendWebhookAsync(events);

    /// <summary>Waits until the user has received at least <paramref name="count"/> messages and returns their readable texts.</summary>
    public async Task<IReadOnlyList<string>> TextsToAsync(string userId, int count = 1)
    {
        await Eventually.TrueAsync(() => Line.DeliveredTo(userId).Count >= count, $"expected {count} messages to {userId}");
        return Line.TextsTo(userId);
    }

    /// <summary>The text <see cref="SettleAsync"/> sends: a command, answered the same way in any state but a handoff.</summary>
    public const string SentinelText = "メニュー";

    /// <summary>
    /// Sends <see cref="SentinelText"/> from the user with a fresh reply token and waits for its answer. One user's events
    /// are handled in arrival order and their replies delivered in order (retries included), so by then everything sent
    /// before it has been handled and delivered: what the user got before the answer is all they will ever get for it.
    /// </summary>
    public async Task<Settled> SettleAsync(string userId)
    {
        var sentinel = Events.Text(userId, SentinelText);
        var token = sentinel["replyToken"]!.GetValue<string>();
        using (var response = await SendAsync(sentinel))
            Assert.True(response.IsSuccessStatusCode, $"the sentinel was refused: {response.StatusCode}");
        await Eventually.TrueAsync(() => Line.Replies.Any(r => r.ReplyToken == token && r.Succeeded), $"the sentinel's answer to {userId}");
        var answer = Line.Replies.Single(r => r.ReplyToken == token && r.Succeeded);
        var delivered = Line.DeliveredTo(userId);
        return new Settled(answer, delivered.Take(delivered.Count - answer.Messages.Count).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (ownsPlatform)
            await Line.DisposeAsync();
    }
}
