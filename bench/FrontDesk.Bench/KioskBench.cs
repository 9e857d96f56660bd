using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace FrontDesk.Bench;

/// <summary>
/// `./frontdesk bench kiosk`: the real web host as its own process on loopback, with the project's articles.
/// (1) Tap to visible answer in Debian's chromium running the kiosk page, over 50 questions.
/// (2) Direct Line post → the bot's activity at the client, under 50 concurrent kiosk conversations (50 devices),
///     once by polling as the page does and once over the WebSocket stream.
/// </summary>
public static class KioskBench
{
    static readonly IReadOnlyList<string> Questions = BenchQuestions.Answerable;

    const int Devices = 50;
    const int PollingMs = 250;

    public static async Task<int> RunAsync(string[] args)
    {
        var questions = IntArg(args, "--questions", 50);
        var conversations = IntArg(args, "--conversations", 50);
        var turns = IntArg(args, "--turns", 10);
        var botDll = Environment.GetEnvironmentVariable("FRONTDESK_BOT_DLL") ?? throw new InvalidOperationException("FRONTDESK_BOT_DLL is not set; run './frontdesk bench kiosk'.");
        var contentRoot = Environment.GetEnvironmentVariable("FRONTDESK_BOT_CONTENT_ROOT")!;
        await using var db = await BenchDatabase.CreateAsync();
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";

        using var host = StartHost(botDll, contentRoot, baseUrl, db.ConnectionString);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
            await WaitForAnswersAsync(http);
            Console.WriteLine($"Kiosk benchmark: {Environment.ProcessorCount} cores, web host and PostgreSQL on loopback, Debian chromium headless");
            Console.WriteLine("| measure | n | p50 ms | p95 ms | max ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            var transport = Environment.GetEnvironmentVariable("Kiosk__WebSocket") == "false" ? $"polling {PollingMs} ms" : "WebSocket";
            Report($"tap → answer visible in the browser ({questions} questions, Web Chat over {transport})", await BrowserAsync(baseUrl, questions));
            var think = TimeSpan.FromSeconds(3);
            Report($"post → bot activity, {conversations} concurrent conversations, a question 3 s after each answer, polling {PollingMs} ms", await DirectLineAsync(http, conversations, turns, webSocket: false, think));
            Report($"post → bot activity, {conversations} concurrent conversations, a question 3 s after each answer, WebSocket", await DirectLineAsync(http, conversations, turns, webSocket: true, think));
            Report($"post → bot activity, {conversations} concurrent conversations, back-to-back (saturation), polling {PollingMs} ms", await DirectLineAsync(http, conversations, turns, webSocket: false, TimeSpan.Zero));
            return 0;
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }
    }

    static Process StartHost(string botDll, string contentRoot, string url, string connectionString)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(botDll);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(contentRoot);
        var env = start.Environment;
        env["ASPNETCORE_URLS"] = url;
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["Database__ConnectionString"] = connectionString;
        env["Logging__LogLevel__Default"] = "Warning";
        env["Kiosk__PollingIntervalMs"] = PollingMs.ToString();
        // The page's transport follows the host's setting; Kiosk__WebSocket=false in the bench's environment measures polling.
        env["Kiosk__WebSocket"] = Environment.GetEnvironmentVariable("Kiosk__WebSocket") ?? "true";
        // The browser asks its 50 questions faster than a visitor would; the devices keep their own limits otherwise.
        env["Kiosk__PostsPerMinute"] = "600";
        for (var i = 0; i < Devices; i++)
        {
            env[$"Kiosk__Devices__{i}__Name"] = $"bench-{i}";
            env[$"Kiosk__Devices__{i}__Key"] = DeviceKey(i);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine("host: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static string DeviceKey(int i) => $"bench-device-key-{i:D3}-0123456789";

    /// <summary>Waits until the host is up and the knowledge refresh job has loaded the articles.</summary>
    static async Task WaitForAnswersAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var c = await StartConversationAsync(http, 0);
                var reply = await AskByPollingAsync(http, c, Questions[0]);
                if (reply.Text.Contains("万円"))
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(1000);
        }
        throw new TimeoutException("The host did not answer with sources within 3 minutes.");
    }

    static async Task<Result> BrowserAsync(string baseUrl, int questions)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 900 }, HasTouch = true, Locale = "ja-JP" });
        await page.GotoAsync($"{baseUrl}/kiosk/#key={DeviceKey(Devices - 1)}");
        await page.Locator("body.is-ready").WaitForAsync();
        await page.Locator("#attract").ClickAsync();
        await page.Locator("body.is-connected").WaitForAsync();
        await page.Locator(".webchat__bubble").First.WaitForAsync();

        var input = page.Locator(".webchat__send-box-text-box__input");
        var send = page.Locator("button.webchat__send-button");
        var latencies = new List<double>();
        for (var i = 0; i < questions; i++)
        {
            // Bot bubbles only; an answer is "visible" when its bubble is in the DOM and scrolled into the viewport.
            var before = await page.EvaluateAsync<int>("() => document.querySelectorAll('.webchat__bubble:not(.webchat__bubble--from-user)').length");
            await input.FillAsync(Questions[i % Questions.Count]);
            var clock = Stopwatch.StartNew();
            await send.TapAsync();
            await page.WaitForFunctionAsync("""
                n => {
                  const bubbles = document.querySelectorAll('.webchat__bubble:not(.webchat__bubble--from-user)');
                  if (bubbles.length <= n) return false;
                  const r = bubbles[n].getBoundingClientRect();
                  return r.height > 0 && r.top < innerHeight && r.bottom > 0;
                }
                """, before, new() { PollingInterval = 10, Timeout = 15_000 });
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }
        return Result.Of(latencies);
    }

    sealed record Conversation(string Id, string Token, string StreamUrl, int Device);

    static async Task<Conversation> StartConversationAsync(HttpClient http, int device)
    {
        using var generate = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/tokens/generate");
        generate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DeviceKey(device));
        using var generated = await http.SendAsync(generate);
        generated.EnsureSuccessStatusCode();
        var g = (await generated.Content.ReadFromJsonAsync<JsonObject>())!;
        using var start = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations") { Content = JsonContent.Create(new JsonObject()) };
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", g["token"]!.GetValue<string>());
        using var started = await http.SendAsync(start);
        started.EnsureSuccessStatusCode();
        var s = (await started.Content.ReadFromJsonAsync<JsonObject>())!;
        return new Conversation(s["conversationId"]!.GetValue<string>(), s["token"]!.GetValue<string>(), s["streamUrl"]!.GetValue<string>(), device);
    }

    static async Task<string> PostAsync(HttpClient http, Conversation c, string text)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, $"/v3/directline/conversations/{c.Id}/activities")
        {
            Content = new StringContent(new JsonObject
            {
                ["type"] = "message",
                ["from"] = new JsonObject { ["id"] = "bench-visitor" },
                ["text"] = text,
                ["channelData"] = new JsonObject { ["clientActivityID"] = Guid.NewGuid().ToString("N") },
            }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", c.Token);
        using var posted = await http.SendAsync(post);
        posted.EnsureSuccessStatusCode();
        return (await posted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    sealed record Reply(string Text, double Milliseconds);

    /// <summary>Posts, then polls start-to-start every interval as botframework-directlinejs does, until the reply to the post arrives.</summary>
    static async Task<Reply> AskByPollingAsync(HttpClient http, Conversation c, string question, string? watermark = null)
    {
        var clock = Stopwatch.StartNew();
        var id = await PostAsync(http, c, question);
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var polled = Stopwatch.StartNew();
            using var get = new HttpRequestMessage(HttpMethod.Get, $"/v3/directline/conversations/{c.Id}/activities?watermark={watermark}");
            get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", c.Token);
            using var response = await http.SendAsync(get);
            response.EnsureSuccessStatusCode();
            var set = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            watermark = set["watermark"]?.GetValue<string>() ?? watermark;
            var reply = set["activities"]!.AsArray().OfType<JsonObject>().FirstOrDefault(a => a["replyToId"]?.GetValue<string>() == id);
            if (reply is not null)
                return new Reply(reply["text"]?.GetValue<string>() ?? "", clock.Elapsed.TotalMilliseconds);
            var wait = TimeSpan.FromMilliseconds(PollingMs) - polled.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
        }
        throw new TimeoutException("no reply within 20 s");
    }

    /// <summary>Each conversation asks its questions one after another, waiting <paramref name="think"/> after each answer as a visitor reading it would.</summary>
    static async Task<Result> DirectLineAsync(HttpClient http, int conversations, int turns, bool webSocket, TimeSpan think)
    {
        var all = await Task.WhenAll(Enumerable.Range(0, conversations).Select(i => Task.Run(async () =>
        {
            var c = await StartConversationAsync(http, i % Devices);
            var own = new List<double>(turns);
            // Spread the conversations' first questions over the think time (at least a second).
            await Task.Delay(Math.Max(1000, (int)think.TotalMilliseconds) * i / conversations);
            if (!webSocket)
            {
                string? watermark = null;
                for (var t = 0; t < turns; t++)
                {
                    var reply = await AskByPollingAsync(http, c, Questions[(i + t) % Questions.Count], watermark);
                    own.Add(reply.Milliseconds);
                    await Task.Delay(think);
                }
                return own;
            }
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri(c.StreamUrl), CancellationToken.None);
            var buffer = new byte[512 * 1024];
            for (var t = 0; t < turns; t++)
            {
                var clock = Stopwatch.StartNew();
                var id = await PostAsync(http, c, Questions[(i + t) % Questions.Count]);
                while (true)
                {
                    var count = 0;
                    WebSocketReceiveResult frame;
                    do
                    {
                        frame = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None);
                        count += frame.Count;
                    }
                    while (!frame.EndOfMessage);
                    if (count > 0 && JsonNode.Parse(buffer.AsSpan(0, count))!["activities"]!.AsArray().Any(a => a?["replyToId"]?.GetValue<string>() == id))
                        break;
                }
                own.Add(clock.Elapsed.TotalMilliseconds);
                await Task.Delay(think);
            }
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            return own;
        })));
        return Result.Of(all.SelectMany(l => l).ToList());
    }

    static void Report(string measure, Result r) =>
        Console.WriteLine($"| {measure} | {r.Count} | {r.P50:F0} | {r.P95:F0} | {r.Max:F0} |");

    sealed record Result(int Count, double P50, double P95, double Max)
    {
        public static Result Of(List<double> values)
        {
            var sorted = values.Order().ToList();
            return new(sorted.Count, Percentiles.Of(sorted, 50), Percentiles.Of(sorted, 95), sorted[^1]);
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
