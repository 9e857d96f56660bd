using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FrontDesk.Bot.Tests.Kiosk;
using FrontDesk.FakeLine;
using FrontDesk.Testing;
using FrontDesk.Testing.FakeLine;

namespace FrontDesk.Bot.Tests.Security;

/// <summary>Strings System.Text.Json can parse but not read (invalid UTF-8, a lone surrogate escape) in every field that carries one.</summary>
public sealed class PoisonedInputTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    const string Marker = "@@POISON@@";

    public static readonly TheoryData<string, string> Poisons = Fields();

    static TheoryData<string, string> Fields()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in new[] { "text", "webhookEventId", "userId", "type", "replyToken" })
            foreach (var poison in new[] { "lone-high", "lone-low", "invalid-utf8", "overlong-utf8" })
                data.Add(field, poison);
        return data;
    }

    /// <summary>The bytes that replace the marker: as they would stand between the quotes of a JSON string.</summary>
    static byte[] PoisonBytes(string poison) => poison switch
    {
        "lone-high" => "x\\ud800y"u8.ToArray(),
        "lone-low" => "\\udc00"u8.ToArray(),
        "invalid-utf8" => [(byte)'a', 0xC3, 0x28, 0xFF, (byte)'b'],
        _ => [0xC0, 0xAF, 0xED, 0xA0, 0x80],
    };

    static byte[] Poisoned(byte[] json, byte[] poison)
    {
        var marker = Encoding.UTF8.GetBytes(Marker);
        var at = json.AsSpan().IndexOf(marker);
        Assert.True(at >= 0);
        return [.. json.AsSpan(0, at), .. poison, .. json.AsSpan(at + marker.Length)];
    }

    [Theory]
    [MemberData(nameof(Poisons))]
    public async Task A_poisoned_field_in_one_event_does_not_cost_another_users_event_in_the_same_webhook(string field, string poison)
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var victim = LineEvents.NewUserId();
        var bad = bot.Events.Text(LineEvents.NewUserId(), "こんにちは");
        switch (field)
        {
            case "text": bad["message"]!["text"] = Marker; break;
            case "userId": bad["source"]!["userId"] = Marker; break;
            default: bad[field] = Marker; break;
        }
        var good = bot.Events.Text(victim, "移住支援金について教えてください");
        var body = Poisoned(bot.Line.WebhookBody(bad, good), PoisonBytes(poison));

        // A real signature over the poisoned bytes: the webhook must read them, not refuse them.
        using var response = await bot.Line.PostWebhookAsync(body, bot.Line.Sign(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var texts = await bot.TextsToAsync(victim);
        Assert.NotEmpty(texts[0]);
        Assert.Equal(1, await db.ScalarAsync<long>("select count(*) from line.inbox where webhook_event_id = @id", ("id", good["webhookEventId"]!.GetValue<string>())));

        // LINE's redelivery of the same body is a duplicate, not a second answer and not an error.
        using var again = await bot.Line.PostWebhookAsync(body, bot.Line.Sign(body));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task A_poisoned_text_field_is_answered_as_cleaned_text()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        var e = bot.Events.Text(user, Marker);
        var body = Poisoned(bot.Line.WebhookBody(e), "移住支援金\\ud800について"u8.ToArray());
        using var response = await bot.Line.PostWebhookAsync(body, bot.Line.Sign(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await bot.TextsToAsync(user);
        var stored = await db.ScalarAsync<string>("select activity->>'text' from conversation.transcript where conversation_key = @k and direction = 'i' order by id limit 1", ("k", "line:" + user));
        Assert.Equal("移住支援金\uFFFDについて", stored);
    }

    [Theory]
    [InlineData("message", "text", "lone-high")]
    [InlineData("message", "text", "invalid-utf8")]
    [InlineData("event", "name", "lone-low")]
    [InlineData("event", "name", "overlong-utf8")]
    [InlineData("message", "id", "lone-high")]
    public async Task A_poisoned_direct_line_activity_gets_no_server_error_and_the_conversation_goes_on(string type, string field, string poison)
    {
        await using var kiosk = await KioskTestApp.StartAsync(db, knowledge: false);
        var (id, token) = await kiosk.StartAsync();
        var activity = new JsonObject { ["type"] = type, ["from"] = new JsonObject { ["id"] = "visitor" }, [field] = Marker };
        if (type == "message" && field != "text")
            activity["text"] = "こんにちは";
        var body = Poisoned(JsonSerializer.SerializeToUtf8Bytes(activity), PoisonBytes(poison));
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await kiosk.Http.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        using (var poll = await kiosk.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{id}/activities", token))
            Assert.Equal(HttpStatusCode.OK, poll.StatusCode);

        using (var next = await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, """{"type":"message","text":"メニュー"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
            var posted = (await next.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            await kiosk.WaitForBotAsync(id, token, a => a["replyToId"]?.GetValue<string>() == posted);
        }
    }
}
