using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using FrontDesk.FakeLine;
using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Line;

/// <summary>
/// The bot host as its own process (the Release build of FrontDesk.Bot.dll), killed with SIGKILL while answers are on
/// their way, then started again on the same database: every acknowledged message is answered.
/// </summary>
public sealed class CrashRecoveryTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    const string DeviceKey = "crash-kiosk-device-key-0123456789";
    static readonly string SigningKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("crash-tests-kiosk-signing-key-32b!"));

    [Fact]
    public async Task Answers_whose_replies_hang_when_the_host_is_killed_reach_LINE_after_a_restart()
    {
        await using var line = await FakeLinePlatform.StartAsync();
        var users = Enumerable.Range(0, 8).Select(_ => LineEvents.NewUserId()).ToList();
        // Replies hang until the process dies: the turns are saved, the sends are in flight.
        line.Faults = call => call.Kind == FakeCallKind.Reply ? FakeOutcome.Hang : null;
        var host = await BotProcess.StartAsync(db.ConnectionString, line);
        try
        {
            foreach (var user in users)
                using (var response = await line.SendWebhookAsync(line.Events.Text(user, "メニュー")))
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Eventually.TrueAsync(() => line.Replies.Count(r => r.Fault == FakeOutcome.Hang) >= users.Count, "every reply in flight", seconds: 60);
            Assert.Equal(users.Count, await db.ScalarAsync<long>("select count(*) from conversation.outbox where failed_at is null"));
        }
        finally
        {
            host.Kill();
        }
        Assert.All(users, u => Assert.Empty(line.DeliveredTo(u)));

        line.Faults = null;
        await using (await BotProcess.StartAsync(db.ConnectionString, line))
        {
            await Eventually.TrueAsync(() => users.All(u => line.DeliveredTo(u).Count >= 2), "every answer delivered after the restart", seconds: 90);
            await Eventually.TrueAsync(async () => await db.ScalarAsync<long>("select count(*) from conversation.outbox where failed_at is null") == 0);
        }
        // The menu is two messages: each user got it once, none lost, none twice.
        Assert.All(users, u => Assert.Equal(2, line.DeliveredTo(u).Count));
        Assert.All(users, u => Assert.Contains("ご用件をお選びください", string.Join("\n", line.TextsTo(u))));
        Assert.Empty(line.InvalidCalls);
    }

    [Fact]
    public async Task Acknowledged_kiosk_messages_are_answered_after_the_host_is_killed()
    {
        await using var line = await FakeLinePlatform.StartAsync();
        var kiosk = new Dictionary<string, string>
        {
            ["Kiosk__Devices__0__Name"] = "crash-kiosk",
            ["Kiosk__Devices__0__Key"] = DeviceKey,
            ["Kiosk__TokenSigningKey"] = SigningKey,
        };
        var conversations = new List<(string Id, string Token)>();
        var posted = new Dictionary<string, string>();
        var host = await BotProcess.StartAsync(db.ConnectionString, line, kiosk);
        try
        {
            using var http = new HttpClient { BaseAddress = host.BaseUrl };
            for (var i = 0; i < 6; i++)
                conversations.Add(await StartKioskAsync(http));
            // Every post is acknowledged; the host dies right after the last one, answers partly on their way.
            await Task.WhenAll(conversations.Select(async c =>
            {
                using var response = await Send(http, HttpMethod.Post, $"/v3/directline/conversations/{c.Id}/activities", c.Token,
                    """{"type":"message","from":{"id":"visitor"},"text":"メニュー","channelData":{"clientActivityID":"crash-1"}}""");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
                lock (posted)
                    posted[c.Id] = id;
            }));
        }
        finally
        {
            host.Kill();
        }

        await using var restarted = await BotProcess.StartAsync(db.ConnectionString, line, kiosk);
        using var again = new HttpClient { BaseAddress = restarted.BaseUrl };
        foreach (var (id, token) in conversations)
        {
            await Eventually.TrueAsync(async () =>
            {
                var activities = await ActivitiesAsync(again, id, token);
                return activities.Any(a => a?["from"]?["role"]?.GetValue<string>() == "bot" && a["replyToId"]?.GetValue<string>() == posted[id]);
            }, "the kiosk answer after the restart", seconds: 60);
        }
    }

    static async Task<(string Id, string Token)> StartKioskAsync(HttpClient http)
    {
        using var generated = await Send(http, HttpMethod.Post, "/v3/directline/tokens/generate", DeviceKey, null);
        generated.EnsureSuccessStatusCode();
        var body = (await generated.Content.ReadFromJsonAsync<JsonObject>())!;
        var (id, token) = (body["conversationId"]!.GetValue<string>(), body["token"]!.GetValue<string>());
        using var started = await Send(http, HttpMethod.Post, "/v3/directline/conversations", token, "{\"user\":{}}");
        started.EnsureSuccessStatusCode();
        return (id, token);
    }

    static async Task<JsonArray> ActivitiesAsync(HttpClient http, string id, string token)
    {
        using var response = await Send(http, HttpMethod.Get, $"/v3/directline/conversations/{id}/activities?watermark=", token, null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["activities"]!.AsArray();
    }

    static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string token, string? json)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return http.SendAsync(request);
    }
}

/// <summary>FrontDesk.Bot.dll started with `dotnet`, as in production, and stopped with SIGKILL.</summary>
sealed class BotProcess : IAsyncDisposable
{
    readonly Process process;

    BotProcess(Process process, Uri baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static async Task<BotProcess> StartAsync(string connectionString, FakeLinePlatform line, IDictionary<string, string>? extra = null)
    {
        var dll = Path.Combine(RepositoryRoot.Path, "bot", "FrontDesk.Bot", "bin", "Release", "net10.0", "FrontDesk.Bot.dll");
        Assert.True(File.Exists(dll), dll + " is missing: build the solution in Release (./frontdesk test does)");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "bot", "FrontDesk.Bot"));
        var env = start.Environment;
        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["Database__ConnectionString"] = connectionString;
        env["Jobs__RunServer"] = "false";
        env["Knowledge__RefreshOnStart"] = "false";
        env["Logging__LogLevel__Default"] = "Warning";
        env["Conversations__PendingSweepInterval"] = "00:00:00.200";
        env["Handoff__DeclinesBeforeHandoff"] = "1000";
        // Long enough that the replies still hang when the process is killed.
        env["Line__RequestTimeout"] = "00:01:00";
        foreach (var (key, value) in line.BotSettings)
            env[key.Replace(":", "__")] = value;
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            env[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var bot = new BotProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        line.WebhookUrl = new Uri(bot.BaseUrl, "/line/webhook");
        using var http = new HttpClient { BaseAddress = bot.BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(async () =>
        {
            Assert.False(process.HasExited, "the bot host exited at start-up");
            try
            {
                using var ready = await http.GetAsync("/health/ready");
                return ready.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, "the bot host did not become ready", seconds: 120);
        return bot;
    }

    /// <summary>SIGKILL: no shutdown code runs, connections drop as in a crash.</summary>
    public void Kill()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
