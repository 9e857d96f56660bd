using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Kiosk;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FrontDesk.Bot.Tests.Kiosk;

/// <summary>The real web host with one kiosk device ("tokyo-1"), a known signing key and a "test" channel for engine-level checks.</summary>
public sealed class KioskTestApp : IAsyncDisposable
{
    public const string Device = "tokyo-1";
    public const string DeviceKey = "tokyo-1-device-key-for-tests";
    public static readonly string SigningKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("kiosk-tests-signing-key-32-bytes!!"));

    KioskTestApp(FrontDeskWebApp app, RecordingSender sender)
    {
        App = app;
        Sender = sender;
        Http = app.CreateClient();
    }

    public FrontDeskWebApp App { get; }
    public HttpClient Http { get; }
    public RecordingSender Sender { get; }
    public string BaseUrl => Http.BaseAddress!.ToString().TrimEnd('/');
    public IServiceProvider Services => App.Services;

    public static async Task<KioskTestApp> StartAsync(TestDatabase db, IDictionary<string, string?>? extra = null, bool knowledge = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kiosk:Devices:0:Name"] = Device,
            ["Kiosk:Devices:0:Key"] = DeviceKey,
            ["Kiosk:TokenSigningKey"] = SigningKey,
            ["Kiosk:LineAddFriendUrl"] = "https://line.me/R/oaMessage/@frontdesk-test/?{code}",
            ["Kiosk:PollingIntervalMs"] = "200",
            ["Conversations:PendingSweepInterval"] = "00:00:00.500",
            ["Knowledge:RefreshOnStart"] = "false",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
            settings[k] = v;
        var sender = new RecordingSender();
        var app = new FrontDeskWebApp(db.ConnectionString, settings: settings, services: s => s.AddSingleton<IChannelSender>(sender));
        var kiosk = new KioskTestApp(app, sender);
        if (knowledge)
            await KnowledgeContent.LoadAsync(app.Services, KnowledgeContent.ArticlesFolder);
        return kiosk;
    }

    /// <summary>A token the server signed for this conversation, already expired.</summary>
    public string ExpiredToken(string conversationId)
    {
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        return new KioskTokens(App.Services.GetRequiredService<IOptions<KioskOptions>>(), past).Issue(conversationId, Device);
    }

    public async Task<(string ConversationId, string Token)> GenerateAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/tokens/generate");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DeviceKey);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["conversationId"]!.GetValue<string>(), body["token"]!.GetValue<string>());
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await Http.SendAsync(request);
    }

    /// <summary>Starts a conversation as Web Chat does (generate, then POST /conversations with the token).</summary>
    public async Task<(string ConversationId, string Token)> StartAsync()
    {
        var (id, token) = await GenerateAsync();
        using var started = await SendAsync(HttpMethod.Post, "/v3/directline/conversations", token, "{\"user\":{}}");
        started.EnsureSuccessStatusCode();
        return (id, token);
    }

    public async Task<JsonArray> ActivitiesAsync(string id, string token, string watermark = "")
    {
        using var response = await SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{id}/activities?watermark={watermark}", token);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["activities"]!.AsArray();
    }

    /// <summary>Polls until a bot activity matching the condition appears.</summary>
    public async Task<JsonObject> WaitForBotAsync(string id, string token, Func<JsonObject, bool> match)
    {
        JsonObject? found = null;
        await Eventually.TrueAsync(async () =>
        {
            var activities = await ActivitiesAsync(id, token);
            found = activities.OfType<JsonObject>().LastOrDefault(a => a["from"]?["role"]?.GetValue<string>() == "bot" && match(a));
            return found is not null;
        }, "the bot's activity did not arrive", seconds: 20);
        return found!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
    }
}
