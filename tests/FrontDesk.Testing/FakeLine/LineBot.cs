using System.Text.Json.Nodes;
using FrontDesk.FakeLine;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Testing.FakeLine;

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

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (ownsPlatform)
            await Line.DisposeAsync();
    }
}
