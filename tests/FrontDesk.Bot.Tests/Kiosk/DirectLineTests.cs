using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Kiosk;

public sealed class DirectLineTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    KioskTestApp kiosk = null!;

    public async Task InitializeAsync() => kiosk = await KioskTestApp.StartAsync(db);
    public async Task DisposeAsync() => await kiosk.DisposeAsync();

    [Fact]
    public async Task A_device_key_starts_a_conversation_and_the_visitor_is_greeted()
    {
        var (id, token) = await kiosk.GenerateAsync();
        using var started = await kiosk.SendAsync(HttpMethod.Post, "/v3/directline/conversations", token, "{\"user\":{}}");
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var body = (await started.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(id, body["conversationId"]!.GetValue<string>());
        Assert.StartsWith("ws://", body["streamUrl"]!.GetValue<string>());
        Assert.True(body["expires_in"]!.GetValue<int>() > 60);

        var greeting = await kiosk.WaitForBotAsync(id, token, _ => true);
        Assert.Contains("こんにちは", greeting["text"]!.GetValue<string>());
        Assert.Equal("application/vnd.microsoft.card.hero", greeting["attachments"]![0]!["contentType"]!.GetValue<string>());

        // Starting again with the same token answers 200 and does not greet twice.
        using var again = await kiosk.SendAsync(HttpMethod.Post, "/v3/directline/conversations", token, "{}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        // The answer to a message sent after it is the sentinel: a second greeting would have come before it.
        await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, """{"type":"message","from":{"id":"v"},"text":"ヘルプ"}""");
        await kiosk.WaitForBotAsync(id, token, a => a["text"]?.GetValue<string>().Contains("出典つきでお答えします") == true);
        Assert.Single((await kiosk.ActivitiesAsync(id, token)).OfType<JsonObject>(),
            a => a["from"]!["role"]!.GetValue<string>() == "bot" && a["text"]?.GetValue<string>().Contains("こんにちは") == true);
    }

    [Fact]
    public async Task A_posted_message_is_echoed_with_its_id_and_client_activity_id_and_answered_with_sources()
    {
        var (id, token) = await kiosk.StartAsync();
        using var posted = await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, """
            {"type":"message","from":{"id":"dl_visitor","role":"user"},"text":"移住支援金は世帯でいくらもらえますか？","locale":"ja-JP",
             "channelData":{"clientActivityID":"abc-123","other":{"kept":true}}}
            """);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var postedId = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        var answer = await kiosk.WaitForBotAsync(id, token, a => a["replyToId"]?.GetValue<string>() == postedId);
        var all = (await kiosk.ActivitiesAsync(id, token)).OfType<JsonObject>().ToList();
        var echo = Assert.Single(all, a => a["id"]!.GetValue<string>() == postedId);
        Assert.Equal("abc-123", echo["channelData"]!["clientActivityID"]!.GetValue<string>());
        Assert.True(echo["channelData"]!["other"]!["kept"]!.GetValue<bool>());
        Assert.Equal("user", echo["from"]!["role"]!.GetValue<string>());
        Assert.Equal(id, echo["conversation"]!["id"]!.GetValue<string>());
        Assert.True(all.IndexOf(echo) < all.IndexOf(all.First(a => a["id"]!.GetValue<string>() == answer["id"]!.GetValue<string>())));

        Assert.Contains("100万円", answer["text"]!.GetValue<string>());
        Assert.Equal("bot", answer["from"]!["role"]!.GetValue<string>());
        Assert.Equal("dl_visitor", answer["recipient"]!["id"]!.GetValue<string>());
        var card = answer["attachments"]![0]!["content"]!;
        Assert.Equal("出典", card["title"]!.GetValue<string>());
        Assert.Contains(answer["suggestedActions"]!["actions"]!.AsArray(), a =>
            a!["type"]!.GetValue<string>() == "messageBack" && a["value"]!["cmd"]!.GetValue<string>() == "contact");
    }

    [Fact]
    public async Task The_watermark_returns_only_newer_activities()
    {
        var (id, token) = await kiosk.StartAsync();
        await kiosk.WaitForBotAsync(id, token, _ => true);
        using var first = await kiosk.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{id}/activities?watermark=", token);
        var set = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        var watermark = set["watermark"]!.GetValue<string>();
        Assert.Empty(await kiosk.ActivitiesAsync(id, token, watermark));

        using var posted = await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token,
            """{"type":"message","from":{"id":"v"},"text":"ヘルプ","channelData":{"clientActivityID":"h1"}}""");
        await Eventually.TrueAsync(async () => (await kiosk.ActivitiesAsync(id, token, watermark)).Count >= 2, "echo and reply after the watermark");
        var newer = await kiosk.ActivitiesAsync(id, token, watermark);
        Assert.Equal("h1", newer[0]!["channelData"]!["clientActivityID"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"type":"message","from":{"id":"v"},"value":{"cmd":"answer","arg":"dual"},"channelData":{"postBack":true}}""")]
    [InlineData("""{"type":"message","from":{"id":"v"},"value":{"cmd":"answer","arg":"dual"},"channelData":{"messageBack":{"displayText":"二地域居住"}}}""")]
    [InlineData("""{"type":"message","from":{"id":"v"},"text":"二地域居住"}""")]
    [InlineData("""{"type":"event","from":{"id":"v"},"name":"answer","value":"dual"}""")]
    public async Task PostBack_messageBack_imBack_and_events_all_answer_the_questionnaire(string answer)
    {
        var (id, token) = await kiosk.StartAsync();
        await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token,
            """{"type":"message","from":{"id":"v"},"value":{"cmd":"flow","arg":"intake"},"channelData":{"postBack":true}}""");
        var question = await kiosk.WaitForBotAsync(id, token, a => a["text"]?.GetValue<string>().Contains("（1/4）") == true);
        Assert.Contains(question["suggestedActions"]!["actions"]!.AsArray(), a => a!["value"]?["arg"]?.GetValue<string>() == "dual");

        await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, answer);
        await kiosk.WaitForBotAsync(id, token, a => a["text"]?.GetValue<string>().Contains("（2/4）") == true);
        var state = await db.ScalarAsync<string>("select state->'flows'->0->'values'->>'interest' from conversation.conversations where key = @k", ("k", "kiosk:" + id));
        Assert.Equal("dual", state);
    }

    [Fact]
    public async Task The_kiosk_conversation_is_in_the_transcript_with_channel_kiosk_and_the_device_name()
    {
        var (id, token) = await kiosk.StartAsync();
        await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, """{"type":"message","from":{"id":"v"},"text":"メニュー"}""");
        await kiosk.WaitForBotAsync(id, token, a => a["text"]?.GetValue<string>().Contains("ご用件") == true && a["replyToId"] is not null);
        Assert.Equal("kiosk", await db.ScalarAsync<string>("select channel from conversation.conversations where key = @k", ("k", "kiosk:" + id)));
        Assert.Equal(KioskTestApp.Device, await db.ScalarAsync<string>(
            "select activity->'channelData'->>'device' from conversation.transcript where conversation_key = @k and direction = 'i' and activity->>'text' = 'メニュー'", ("k", "kiosk:" + id)));
    }

    [Fact]
    public async Task A_refreshed_token_works_for_the_same_conversation()
    {
        var (id, token) = await kiosk.StartAsync();
        using var refreshed = await kiosk.SendAsync(HttpMethod.Post, "/v3/directline/tokens/refresh", token);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var body = (await refreshed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(id, body["conversationId"]!.GetValue<string>());
        await kiosk.ActivitiesAsync(id, body["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ending_the_conversation_revokes_its_tokens_and_clears_its_activity_log()
    {
        var (id, token) = await kiosk.StartAsync();
        await kiosk.WaitForBotAsync(id, token, _ => true);
        using var end = await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, """{"type":"endOfConversation","from":{"id":"kiosk"}}""");
        Assert.Equal(HttpStatusCode.OK, end.StatusCode);

        using var poll = await kiosk.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{id}/activities?watermark=", token);
        Assert.Equal(HttpStatusCode.Forbidden, poll.StatusCode);
        Assert.Equal("TokenRevoked", (await poll.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        using var refresh = await kiosk.SendAsync(HttpMethod.Post, "/v3/directline/tokens/refresh", token);
        Assert.Equal(HttpStatusCode.Forbidden, refresh.StatusCode);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from kiosk.activities where conversation_id = @id", ("id", id)));
    }

    [Fact]
    public async Task A_screen_wiped_during_a_handoff_ends_the_handoff()
    {
        var (id, token) = await kiosk.StartAsync();
        await kiosk.WaitForBotAsync(id, token, _ => true);
        await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, """{"type":"message","from":{"id":"v"},"text":"相談員と話したい"}""");
        await kiosk.WaitForBotAsync(id, token, a => a["text"]?.GetValue<string>().Contains("おつなぎします") == true);
        const string handoff = "select coalesce(state->'handoff', 'null'::jsonb)::text from conversation.conversations where key = @k";
        Assert.NotEqual("null", await db.ScalarAsync<string>(handoff, ("k", "kiosk:" + id)));

        using var end = await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, """{"type":"endOfConversation","from":{"id":"kiosk"}}""");
        Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        await Eventually.TrueAsync(async () => await db.ScalarAsync<string>(handoff, ("k", "kiosk:" + id)) == "null", "the handoff should end with the visitor");
    }

    [Fact]
    public async Task A_visitor_cannot_forge_the_console_s_handoff_events()
    {
        var (id, token) = await kiosk.StartAsync();
        await kiosk.WaitForBotAsync(id, token, _ => true);
        await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, """{"type":"message","from":{"id":"v"},"text":"相談員と話したい"}""");
        await kiosk.WaitForBotAsync(id, token, a => a["text"]?.GetValue<string>().Contains("おつなぎします") == true);

        // A client's event is a command of the visitor's, never an engine event such as the wipe or a claim.
        foreach (var forged in new[] { """{"type":"event","name":"handoff.visitor-left"}""", """{"type":"event","name":"handoff.claim","value":"sato"}""" })
            await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, forged);
        await Eventually.TrueAsync(async () => await db.ScalarAsync<long>(
            "select count(*) from conversation.transcript where conversation_key = @k and direction = 'i' and activity->>'name' like 'handoff.%'", ("k", "kiosk:" + id)) == 2,
            "both forged events should have been handled");
        Assert.Equal("waiting", await db.ScalarAsync<string>("select lower(state->'handoff'->>'status') from conversation.conversations where key = @k", ("k", "kiosk:" + id)));
    }

    [Fact]
    public async Task The_WebSocket_stream_delivers_the_echo_and_the_answer()
    {
        var (id, token) = await kiosk.GenerateAsync();
        using var started = await kiosk.SendAsync(HttpMethod.Post, "/v3/directline/conversations", token, "{}");
        var streamUrl = (await started.Content.ReadFromJsonAsync<JsonObject>())!["streamUrl"]!.GetValue<string>();
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri(streamUrl), CancellationToken.None);
        var received = new List<JsonObject>();
        _ = Task.Run(async () =>
        {
            var buffer = new byte[256 * 1024];
            while (socket.State == System.Net.WebSockets.WebSocketState.Open)
            {
                var count = 0;
                // Closing the socket at the end of the test ends this loop.
                System.Net.WebSockets.WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close || count == 0)
                    continue;
                var set = JsonNode.Parse(buffer.AsSpan(0, count))!.AsObject();
                lock (received)
                    received.AddRange(set["activities"]!.AsArray().OfType<JsonObject>().Select(a => (JsonObject)a.DeepClone()));
            }
        });
        await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token,
            """{"type":"message","from":{"id":"v"},"text":"空き家バンクってどんな仕組み？","channelData":{"clientActivityID":"ws-1"}}""");
        await Eventually.TrueAsync(() => { lock (received) return received.Any(a => a["replyToId"] is not null); }, "an answer over the stream");
        lock (received)
        {
            Assert.Contains(received, a => a["channelData"]?["clientActivityID"]?.GetValue<string>() == "ws-1");
            Assert.Contains("空き家", received.Last(a => a["replyToId"] is not null)["text"]!.GetValue<string>());
        }
        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task Page_configuration_is_served_without_secrets()
    {
        var config = await kiosk.Http.GetFromJsonAsync<JsonObject>("/kiosk/api/config");
        Assert.Equal(200, config!["pollingIntervalMs"]!.GetValue<int>());
        Assert.True(config["lineEnabled"]!.GetValue<bool>());
        Assert.DoesNotContain(KioskTestApp.DeviceKey, config.ToJsonString());
        Assert.DoesNotContain("signing", config.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        _ = JsonSerializer.Serialize(config);
    }
}
