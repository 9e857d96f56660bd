using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Kiosk;
using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Kiosk;

public sealed class DirectLineBadInputTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    KioskTestApp kiosk = null!;

    public async Task InitializeAsync() => kiosk = await KioskTestApp.StartAsync(db, new Dictionary<string, string?>
    {
        ["Kiosk:PostBurst"] = "30",
        ["Kiosk:PostsPerMinute"] = "60",
        ["Kiosk:MaxActivityBytes"] = "4096",
    }, knowledge: false);

    public async Task DisposeAsync() => await kiosk.DisposeAsync();

    static async Task<string> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>();

    [Fact]
    public async Task A_wrong_device_key_or_no_key_cannot_start_a_conversation()
    {
        using var wrong = await kiosk.SendAsync(HttpMethod.Post, "/v3/directline/tokens/generate", "not-the-key-of-any-device");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var none = await kiosk.SendAsync(HttpMethod.Post, "/v3/directline/conversations", null, "{}");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Fact]
    public async Task A_token_for_one_conversation_is_refused_for_another()
    {
        var (a, tokenA) = await kiosk.GenerateAsync();
        var (b, _) = await kiosk.GenerateAsync();
        using var read = await kiosk.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{b}/activities?watermark=", tokenA);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        using var post = await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{b}/activities", tokenA, """{"type":"message","text":"hi"}""");
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        using var reconnect = await kiosk.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{b}", tokenA);
        Assert.Equal(HttpStatusCode.Forbidden, reconnect.StatusCode);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task The_stream_takes_its_token_from_the_url_and_only_for_its_own_conversation()
    {
        var (a, tokenA) = await kiosk.GenerateAsync();
        var (b, _) = await kiosk.GenerateAsync();
        var ws = kiosk.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/v3/directline/conversations/";
        foreach (var (url, status) in new[]
        {
            ($"{ws}{b}/stream?t={Uri.EscapeDataString(tokenA)}", HttpStatusCode.Forbidden),
            ($"{ws}{a}/stream", HttpStatusCode.Unauthorized),
            ($"{ws}{a}/stream?t={Uri.EscapeDataString(tokenA)}&watermark=x", HttpStatusCode.BadRequest),
        })
        {
            using var refused = new System.Net.WebSockets.ClientWebSocket();
            refused.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => refused.ConnectAsync(new Uri(url), CancellationToken.None));
            Assert.Equal(status, refused.HttpStatusCode);
        }

        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri($"{ws}{a}/stream?t={Uri.EscapeDataString(tokenA)}"), CancellationToken.None);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        // Without the WebSocket upgrade the address says what it takes.
        using var plain = await kiosk.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{a}/stream?t={Uri.EscapeDataString(tokenA)}", null);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal("BadArgument", await CodeOf(plain));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("../../etc/passwd")]
    [InlineData("x' or '1'='1")]
    public async Task Unknown_conversation_ids_are_refused(string id)
    {
        var (_, token) = await kiosk.GenerateAsync();
        using var read = await kiosk.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{Uri.EscapeDataString(id)}/activities", token);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
    }

    [Fact]
    public async Task Forged_tampered_and_expired_tokens_get_403()
    {
        var (id, token) = await kiosk.GenerateAsync();
        var tampered = token[..^3] + (token[^3] == 'A' ? "B" : "A") + token[^2..];
        var otherKey = new KioskTokens(Microsoft.Extensions.Options.Options.Create(new KioskOptions
        {
            TokenSigningKey = Convert.ToBase64String(new byte[32]),
        }), TimeProvider.System).Issue(id, KioskTestApp.Device);

        foreach (var (bad, code) in new[] { (tampered, "BadToken"), (otherKey, "BadToken"), ("fdk1.garbage", "BadToken"), ("eyJhbGciOiJub25lIn0.e30.", "BadToken"), (kiosk.ExpiredToken(id), "TokenExpired") })
        {
            using var response = await kiosk.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{id}/activities", bad);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(code, await CodeOf(response));
        }
        using var ok = await kiosk.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{id}/activities", token);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Oversized_and_malformed_activities_are_rejected_with_a_clear_error()
    {
        var (id, token) = await kiosk.StartAsync();
        var path = $"/v3/directline/conversations/{id}/activities";
        using var huge = await kiosk.SendAsync(HttpMethod.Post, path, token, $$"""{"type":"message","text":"{{new string('あ', 5000)}}"}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal("MessageSizeTooBig", await CodeOf(huge));

        foreach (var body in new[] { "not json", "[1,2,3]", "{\"type\":", "{}", """{"type":"invoke","name":"x"}""", """{"type":"message","text":{"nested":true}}""",
                     """{"type":"event"}""", new string('[', 200) + new string(']', 200) })
        {
            using var response = await kiosk.SendAsync(HttpMethod.Post, path, token, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("BadArgument", await CodeOf(response));
        }
        using var badWatermark = await kiosk.SendAsync(HttpMethod.Get, path + "?watermark=-1", token);
        Assert.Equal(HttpStatusCode.BadRequest, badWatermark.StatusCode);
    }

    [Fact]
    public async Task Script_links_and_markdown_images_in_a_message_come_back_as_plain_text()
    {
        var (id, token) = await kiosk.StartAsync();
        const string hostile = "<script>alert(1)</script> [x](javascript:alert(1)) ![i](http://127.0.0.1:9/track.png)";
        using var posted = await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token,
            new JsonObject { ["type"] = "message", ["from"] = new JsonObject { ["id"] = "v" }, ["text"] = hostile, ["textFormat"] = "markdown" }.ToJsonString());
        var postedId = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var reply = await kiosk.WaitForBotAsync(id, token, a => a["replyToId"]?.GetValue<string>() == postedId);
        var echo = (await kiosk.ActivitiesAsync(id, token)).OfType<JsonObject>().Single(a => a["id"]!.GetValue<string>() == postedId);
        Assert.Equal("plain", echo["textFormat"]!.GetValue<string>());
        Assert.Equal(hostile, echo["text"]!.GetValue<string>());
        Assert.Equal("plain", reply["textFormat"]!.GetValue<string>());
    }

    [Fact]
    public void Card_text_is_escaped_and_only_web_links_become_buttons()
    {
        var reply = new Activity
        {
            Text = "![i](http://x/y.png)",
            Cards = [new Card
            {
                Title = "[t](javascript:alert(1))",
                Text = "<img src=x onerror=alert(1)> ![i](http://x/y.png)",
                Buttons = [CardAction.Link("evil", "javascript:alert(1)"), CardAction.Link("ok", "https://example.org/a")],
            }],
        };
        var json = DirectLineMapper.FromEngine(reply, "c", null, null, DateTimeOffset.UnixEpoch, "ja");
        var content = json["attachments"]![0]!["content"]!;
        Assert.Equal(@"\[t\]\(javascript:alert\(1\)\)", content["title"]!.GetValue<string>());
        Assert.StartsWith(@"\<img", content["text"]!.GetValue<string>());
        var button = Assert.Single(content["buttons"]!.AsArray());
        Assert.Equal("https://example.org/a", button!["value"]!.GetValue<string>());
        Assert.Equal("plain", json["textFormat"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_burst_of_posts_from_one_device_is_rate_limited_with_a_clear_error()
    {
        var (id, token) = await kiosk.StartAsync();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 60; i++)
        {
            var response = await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, """{"type":"message","from":{"id":"v"},"text":"ヘルプ"}""");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                limited ??= response;
        }
        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.NotNull(limited);
        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) >= 20);
        Assert.Equal("TooManyRequests", await CodeOf(limited));
        Assert.True(limited.Headers.RetryAfter is not null);

        // The limit is per device and refills: a moment later the device may post again.
        await Eventually.TrueAsync(async () =>
        {
            using var later = await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, """{"type":"message","from":{"id":"v"},"text":"ヘルプ"}""");
            return later.StatusCode == HttpStatusCode.OK;
        }, "the device's allowance should refill", seconds: 10);
    }

    [Fact]
    public async Task A_burst_of_new_conversations_from_one_device_is_rate_limited_but_wrong_keys_are_refused_as_such()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 60; i++)
        {
            var response = await kiosk.SendAsync(HttpMethod.Post, "/v3/directline/tokens/generate", KioskTestApp.DeviceKey);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                limited ??= response;
        }
        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.NotNull(limited);
        Assert.Equal("TooManyRequests", await CodeOf(limited));
        Assert.True(limited.Headers.RetryAfter is not null);

        // A key that names no device is not counted against any: it gets its 401, however often it tries.
        for (var i = 0; i < 40; i++)
        {
            using var wrong = await kiosk.SendAsync(HttpMethod.Post, "/v3/directline/tokens/generate", "not-the-key-of-any-device");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
    }
}
