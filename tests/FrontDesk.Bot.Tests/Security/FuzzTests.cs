using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Staff;
using FrontDesk.Bot.Tests.Kiosk;
using FrontDesk.FakeLine;
using FrontDesk.Testing;
using FrontDesk.Testing.FakeLine;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FrontDesk.Bot.Tests.Security;

/// <summary>
/// Seeded fuzzing of every public surface: mutated but correctly signed LINE webhooks, Direct Line requests, activities
/// and WebSocket frames, and console forms posted with a valid session and antiforgery token. No answer may be a 5xx,
/// and the host must still answer normally afterwards.
/// </summary>
public sealed class FuzzTests(TestDatabase db, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    const int Cases = 500;
    const int Seed = 20261203;

    static readonly string[] Strings =
    [
        "", " ", "x", "こんにちは", "\0", "a\0b", "\uD800", "\uDC00x", "😀", "<script>alert(1)</script>", "'; drop table x; --", "%00", "\\u0000",
        "\u202E", "\r\n", new string('あ', 3000), new string('x', 70), "{\"cmd\":\"x\"}", "null", "-1", "1e309", "c=topic&v=akiya", "c=", "\uFEFF",
    ];

    static JsonNode? RandomValue(Random random) => random.Next(9) switch
    {
        0 => null,
        1 => random.Next(-5, 5),
        2 => random.NextDouble() * 1e300,
        3 => random.Next(2) == 0,
        4 => new JsonArray(RandomValue(random), RandomValue(random)),
        5 => new JsonObject { ["cmd"] = Strings[random.Next(Strings.Length)], ["arg"] = RandomValue(random) },
        _ => Strings[random.Next(Strings.Length)],
    };

    /// <summary>Byte-level damage that JSON parsers meet in practice: a poison string, a stray byte, a cut, a repeat.</summary>
    static byte[] Damage(byte[] body, Random random)
    {
        var bytes = body.ToList();
        byte[][] poisons = ["\\ud800"u8.ToArray(), "\\udfff\\ud800"u8.ToArray(), [0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], "\\u0000"u8.ToArray(), "\""u8.ToArray(), "\\"u8.ToArray(), "}"u8.ToArray(), [0x00]];
        for (var n = random.Next(1, 4); n > 0 && bytes.Count > 0; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes.InsertRange(at, poisons[random.Next(poisons.Length)]); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 8))); break;
                case 3: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(bytes.Count - at, random.Next(1, 16)))); break;
                default:
                    // Inside a string value: find a quote after the position and put the poison right behind it.
                    var quote = bytes.IndexOf((byte)'"', at);
                    if (quote >= 0)
                        bytes.InsertRange(quote + 1, poisons[random.Next(2)]);
                    break;
            }
        }
        return [.. bytes];
    }

    static void MutateTree(JsonNode root, Random random)
    {
        var objects = new List<JsonObject>();
        void Collect(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                objects.Add(o);
                foreach (var (_, child) in o)
                    Collect(child);
            }
            else if (node is JsonArray a)
            {
                foreach (var child in a)
                    Collect(child);
            }
        }
        Collect(root);
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var target = objects[random.Next(objects.Count)];
            if (target.Count == 0 || random.Next(6) == 0)
            {
                target[Strings[random.Next(Strings.Length)] is { Length: > 0 and < 100 } name ? name : "extra"] = RandomValue(random);
                continue;
            }
            var key = target.Select(p => p.Key).ElementAt(random.Next(target.Count));
            if (random.Next(4) == 0)
                target.Remove(key);
            else
                target[key] = RandomValue(random);
        }
    }

    void Report(string surface, int cases, Dictionary<int, int> statuses) =>
        output.WriteLine($"{surface}: {cases} cases, statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");

    static void Count(Dictionary<int, int> statuses, HttpStatusCode status) => statuses[(int)status] = statuses.GetValueOrDefault((int)status) + 1;

    [Fact]
    public async Task Signed_but_mutated_LINE_webhooks_never_get_a_5xx_and_the_bot_still_answers()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var random = new Random(Seed);
        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();
        for (var i = 0; i < Cases; i++)
        {
            var events = Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
            {
                var user = LineEvents.NewUserId();
                return (random.Next(6)) switch
                {
                    0 => bot.Events.Text(user, Strings[random.Next(Strings.Length)]),
                    1 => bot.Events.Postback(user, Strings[random.Next(Strings.Length)]),
                    2 => bot.Events.Follow(user),
                    3 => bot.Events.Unsend(user, "123"),
                    4 => bot.Events.Sticker(user),
                    _ => bot.Events.Text(user, "移住支援金"),
                };
            }).ToArray();
            var tree = JsonNode.Parse(bot.Line.WebhookBody(events))!;
            if (random.Next(3) > 0)
                MutateTree(tree, random);
            var body = JsonSerializer.SerializeToUtf8Bytes(tree);
            if (random.Next(2) == 0)
                body = Damage(body, random);
            using var response = await bot.Line.PostWebhookAsync(body, bot.Line.Sign(body));
            Count(statuses, response.StatusCode);
            if ((int)response.StatusCode >= 500)
                failures.Add($"{response.StatusCode}: {Encoding.UTF8.GetString(body)[..Math.Min(300, body.Length)]}");
        }
        Report("LINE webhook", Cases, statuses);
        Assert.Empty(failures);

        var user = LineEvents.NewUserId();
        using (var ok = await bot.SendAsync(bot.Events.Text(user, "メニュー")))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.NotEmpty(await bot.TextsToAsync(user));
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task Mutated_Direct_Line_requests_activities_and_WebSocket_frames_never_get_a_5xx()
    {
        await using var kiosk = await KioskTestApp.StartAsync(db, new Dictionary<string, string?>
        {
            ["Kiosk:PostBurst"] = "100000",
            ["Kiosk:PostsPerMinute"] = "1000000",
        }, knowledge: false);
        var random = new Random(Seed + 1);
        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();
        var (id, token) = await kiosk.StartAsync();

        async Task SendAsync(HttpMethod method, string path, string? bearer, byte[]? body, string contentType = "application/json")
        {
            using var request = new HttpRequestMessage(method, path);
            if (bearer is not null)
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
            using var response = await kiosk.Http.SendAsync(request);
            Count(statuses, response.StatusCode);
            if ((int)response.StatusCode >= 500)
                failures.Add($"{method} {path} {response.StatusCode}: {(body is null ? "" : Encoding.UTF8.GetString(body))}");
        }

        // Activities: message, event, typing, buttons' values, all mutated.
        for (var i = 0; i < Cases; i++)
        {
            var activity = new JsonObject
            {
                ["type"] = random.Next(5) switch { 0 => "event", 1 => "typing", 2 => Strings[random.Next(Strings.Length)], _ => "message" },
                ["from"] = new JsonObject { ["id"] = "visitor", ["role"] = "user" },
                ["text"] = Strings[random.Next(Strings.Length)],
                ["name"] = random.Next(2) == 0 ? "topic" : Strings[random.Next(Strings.Length)],
                ["value"] = RandomValue(random),
                ["channelData"] = new JsonObject { ["clientActivityID"] = "c" + i },
            };
            MutateTree(activity, random);
            var body = JsonSerializer.SerializeToUtf8Bytes(activity);
            if (random.Next(2) == 0)
                body = Damage(body, random);
            await SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, body,
                random.Next(10) == 0 ? "text/plain" : "application/json");
        }
        Report("Direct Line activities", Cases, statuses);

        // Conversations and tokens: starts, reconnects, refreshes and polls with damaged ids, tokens, watermarks and bodies.
        statuses.Clear();
        string[] ids = [id, "", "x", "..%2F..", "%00", "%ED%A0%80", new string('a', 300), id + "x", "%F0%9F%98%80"];
        string?[] tokens = [token, null, "", "fdk1.", "fdk1.AAAA.BBBB", KioskTestApp.DeviceKey, token[..^2], "Bearer", new string('t', 5000), "not.a.token"];
        for (var i = 0; i < Cases; i++)
        {
            var conversation = ids[random.Next(ids.Length)];
            var bearer = tokens[random.Next(tokens.Length)];
            var watermark = random.Next(4) switch { 0 => "", 1 => "-1", 2 => "99999999999", _ => Strings[random.Next(Strings.Length)] };
            var body = Damage(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["user"] = new JsonObject { ["id"] = Strings[random.Next(Strings.Length)] } }), random);
            switch (random.Next(5))
            {
                case 0: await SendAsync(HttpMethod.Post, "/v3/directline/conversations", bearer, body); break;
                case 1: await SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{conversation}", bearer, null); break;
                case 2: await SendAsync(HttpMethod.Post, "/v3/directline/tokens/refresh", bearer, body); break;
                case 3: await SendAsync(HttpMethod.Post, "/v3/directline/tokens/generate", bearer, body); break;
                default: await SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{conversation}/activities?watermark={Uri.EscapeDataString(watermark)}", bearer, null); break;
            }
        }
        Report("Direct Line conversations and tokens", Cases, statuses);

        // WebSocket frames: text, binary, fragments and garbage over one stream, then bad handshakes.
        var wsBase = kiosk.BaseUrl.Replace("http://", "ws://");
        using (var socket = new ClientWebSocket())
        {
            await socket.ConnectAsync(new Uri($"{wsBase}/v3/directline/conversations/{id}/stream?t={Uri.EscapeDataString(token)}"), CancellationToken.None);
            for (var i = 0; i < Cases; i++)
            {
                // Binary frames carry any bytes; text frames must be UTF-8 (a client library would not send anything else).
                var binary = random.Next(3) == 0;
                var frame = binary ? RandomBytes(random) : Damage(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["type"] = "message", ["text"] = Strings[random.Next(Strings.Length)] }), random);
                if (!binary)
                    frame = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(frame));
                await socket.SendAsync(frame, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);
            }
            await socket.SendAsync("{}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            Assert.Equal(WebSocketState.Open, socket.State);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }
        var handshakes = new Dictionary<int, int>();
        for (var i = 0; i < 50; i++)
        {
            using var socket = new ClientWebSocket();
            var t = tokens[random.Next(tokens.Length)] ?? "";
            try
            {
                await socket.ConnectAsync(new Uri($"{wsBase}/v3/directline/conversations/{ids[random.Next(ids.Length)]}/stream?t={Uri.EscapeDataString(t)}&watermark={random.Next(-2, 3)}"), CancellationToken.None);
                Count(handshakes, HttpStatusCode.SwitchingProtocols);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
            catch (WebSocketException e) when (e.Message.Contains("status code") && !e.Message.Contains("'5"))
            {
                Count(handshakes, HttpStatusCode.BadRequest);
            }
        }
        Report("Direct Line WebSocket handshakes (101 or refused with 4xx)", 50, handshakes);
        output.WriteLine($"Direct Line WebSocket: {Cases} frames on one stream, the stream stayed open");
        Assert.Empty(failures);

        // Still answering: a fresh conversation gets the bot's answer.
        var (fresh, freshToken) = await kiosk.StartAsync();
        using var posted = await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{fresh}/activities", freshToken, """{"type":"message","text":"メニュー"}""");
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var postedId = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await kiosk.WaitForBotAsync(fresh, freshToken, a => a["replyToId"]?.GetValue<string>() == postedId);
    }

    static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 200)];
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Console_forms_with_a_valid_session_and_token_but_fuzzed_fields_never_get_a_5xx()
    {
        var sender = new RecordingSender();
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production",
            settings: FrontDesk.Bot.Tests.Registration.RegistrationKeys.Settings(), services: s => s.AddSingleton<IChannelSender>(sender));
        var accounts = app.Services.GetRequiredService<StaffAccounts>();
        await accounts.AddAsync("fuzz-admin", "管理者", "admin", "fuzz admin password", CancellationToken.None);
        await accounts.AddAsync("fuzz-colleague", "同僚", "coordinator", "fuzz admin password", CancellationToken.None);
        var engine = app.Services.GetRequiredService<ConversationEngine>();
        foreach (var visitor in new[] { "fuzz-1", "fuzz-2" })
            await engine.HandleAsync(new ConversationAddress(RecordingSender.ChannelName, visitor), Activity.Message("相談員と話したい"), CancellationToken.None);

        using var http = app.CreateBrowser();
        using (var signedIn = await http.PostAsync("/console/sign-in", ConsoleForms.Form(await http.GetStringAsync("/console/sign-in"), ("login", "fuzz-admin"), ("password", "fuzz admin password"))))
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var token = ConsoleForms.TokenIn(await http.GetStringAsync("/console"));

        string[] keys = ["test%3Afuzz-1", "test%3Afuzz-2", "test%3Anobody", "line%3AU0", "x", "%00", "%ED%A0%80", "test%3A" + new string('a', 500), "..%2F"];
        (string Path, string[] Fields)[] forms =
        [
            ("/console/c/{key}/claim", []), ("/console/c/{key}/reply", ["text"]), ("/console/c/{key}/release", []),
            ("/console/c/{key}/transfer", ["to"]), ("/console/c/{key}/close", []), ("/console/c/{key}/note", ["note"]),
            ("/console/canned/", ["id", "title", "body"]), ("/console/canned/{n}/delete", []),
            ("/console/registrations/{n}/involvements", ["kind", "on", "note"]), ("/console/registrations/{n}/delete", []),
            ("/console/registrations/merge", ["keep", "other"]),
        ];
        string[] numbers = ["1", "0", "-1", "99999999999999999999", "abc", "", "1.5", "%00"];
        string[] gets = ["/console", "/console/queue", "/console/c/{key}", "/console/c/{key}/lines", "/console/canned/?notice={s}", "/console/registrations/?q={s}",
            "/console/registrations/{n}", "/console/registrations/export.csv", "/console/registrations/draft?key={key}",
            "/console/search?from={s}&to={s}&channel={s}&q={s}", "/console/c/{key}?notice={s}"];
        var random = new Random(Seed + 2);
        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();
        string Fill(string template) => template.Replace("{key}", keys[random.Next(keys.Length)]).Replace("{n}", numbers[random.Next(numbers.Length)])
            .Replace("{s}", Uri.EscapeDataString(Strings[random.Next(Strings.Length)]));

        for (var i = 0; i < Cases; i++)
        {
            HttpResponseMessage response;
            string description;
            if (random.Next(4) == 0)
            {
                var path = Fill(gets[random.Next(gets.Length)]);
                description = "GET " + path;
                response = await http.GetAsync(path);
            }
            else
            {
                var (template, fields) = forms[random.Next(forms.Length)];
                var path = Fill(template);
                var values = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", token) };
                foreach (var field in fields)
                {
                    if (random.Next(6) == 0)
                        continue;
                    var value = random.Next(3) == 0 ? numbers[random.Next(numbers.Length)] : Strings[random.Next(Strings.Length)];
                    if (field == "to" && random.Next(2) == 0)
                        value = "fuzz-colleague";
                    values.Add(new(field, value));
                    if (random.Next(8) == 0)
                        values.Add(new(field, value + "2"));
                }
                if (random.Next(8) == 0)
                    values.Add(new(Strings[random.Next(Strings.Length)], "extra"));
                description = "POST " + path + " " + string.Join("&", values.Skip(1).Select(v => v.Key + "=" + v.Value[..Math.Min(20, v.Value.Length)]));
                response = await http.PostAsync(path, new FormUrlEncodedContent(values));
            }
            using (response)
            {
                Count(statuses, response.StatusCode);
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{response.StatusCode}: {description}");
            }
        }
        Report("console forms and pages", Cases, statuses);
        Assert.Empty(failures);
        using var queue = await http.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
    }
}
