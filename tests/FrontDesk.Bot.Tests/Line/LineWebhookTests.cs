using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FrontDesk.Bot.Line;
using FrontDesk.FakeLine;
using FrontDesk.Testing;
using FrontDesk.Testing.FakeLine;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Line;

/// <summary>What the webhook accepts and refuses, over real HTTP, and that a refused request leaves nothing behind.</summary>
public sealed class LineWebhookTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    Task<long> InboxRowsAsync(string webhookEventId) =>
        db.ScalarAsync<long>("select count(*) from line.inbox where webhook_event_id = @id", ("id", webhookEventId));

    async Task<long> RowsForUserAsync(string userId) =>
        await db.ScalarAsync<long>("select count(*) from conversation.inbound where conversation_key = @k", ("k", "line:" + userId))
        + await db.ScalarAsync<long>("select count(*) from conversation.transcript where conversation_key = @k", ("k", "line:" + userId));

    static string Id(JsonObject e) => e["webhookEventId"]!.GetValue<string>();

    [Fact]
    public async Task Webhook_with_forged_missing_or_stale_signature_is_rejected_with_401_and_no_side_effect()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        var e = bot.Events.Text(user, "こんにちは");
        var body = bot.Line.WebhookBody(e);

        var forged = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData("not the secret"u8, body));
        using (var response = await bot.Line.PostWebhookAsync(body, forged))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using (var response = await bot.Line.PostWebhookAsync(body, signature: null))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using (var response = await bot.Line.PostWebhookAsync(body, "garbage"))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // A signature of the body as it was, on a body that was changed afterwards.
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("こんにちは", "さようなら").Replace("\\u3053\\u3093\\u306B\\u3061\\u306F", "bye"));
        Assert.NotEqual(body, tampered);
        using (var response = await bot.Line.PostWebhookAsync(tampered, bot.Line.Sign(body)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(0, await InboxRowsAsync(Id(e)));
        Assert.Equal(0, await RowsForUserAsync(user));
        // Had a refused request been handled after all, its answer would reach the user before the sentinel's.
        var settled = await bot.SettleAsync(user);
        Assert.Empty(settled.Before);
        Assert.Equal(0, await InboxRowsAsync(Id(e)));
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from conversation.transcript where conversation_key = @k and direction = 'i' and activity ->> 'text' <> @t",
            ("k", "line:" + user), ("t", LineBot.SentinelText)));
        // Other tests of this class share the database; only this user's traffic matters here.
        Assert.DoesNotContain(bot.Line.Calls, c => settled.SentBefore(c) && c.Body?.ToJsonString().Contains(user, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task An_empty_events_array_is_LINEs_connectivity_check_and_gets_200()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        using var response = await bot.SendAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_wrong_content_type_and_oversized_bodies_get_a_clear_4xx_and_record_nothing()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var before = await db.ScalarAsync<long>("select count(*) from line.inbox");

        async Task<HttpStatusCode> PostAsync(byte[] body, string contentType = "application/json; charset=utf-8")
        {
            using var response = await bot.Line.PostWebhookAsync(body, bot.Line.Sign(body), contentType);
            if (response.StatusCode != HttpStatusCode.OK)
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("{\"destination\":\"U1\",\"events\":[{\"type\":"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("[]"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("{\"events\":{}}"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("{}"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync([]));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, await PostAsync(bot.Line.WebhookBody(bot.Events.Text(LineEvents.NewUserId(), "x")), "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, await PostAsync(bot.Line.WebhookBody(bot.Events.Text(LineEvents.NewUserId(), "x")), "application/jsonp"));

        var huge = Encoding.UTF8.GetBytes("{\"destination\":\"U1\",\"events\":[],\"padding\":\"" + new string('x', 10 * 1024 * 1024) + "\"}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync(huge));
        // Deeply nested JSON is refused as malformed rather than crashing the parser.
        var deep = Encoding.UTF8.GetBytes("{\"events\":" + new string('[', 5000) + new string(']', 5000) + "}");
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(deep));

        Assert.Equal(before, await db.ScalarAsync<long>("select count(*) from line.inbox"));
        Assert.Empty(bot.Line.Calls);
    }

    [Fact]
    public async Task Unknown_event_types_and_incomplete_events_are_acknowledged_and_ignored()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        var edited = bot.Events.Base("messageEdited", user, null, "active");
        edited["messageEdited"] = new JsonObject { ["messageId"] = "1" };
        var noMessage = bot.Events.Base("message", user, null, "active");
        var noId = bot.Events.Base("postback", user, null, "active");
        noId.Remove("webhookEventId");
        var join = bot.Events.Base("join", user, null, "active");
        var noSource = bot.Events.Text(user, "誰？");
        noSource.Remove("source");
        var text = bot.Events.Text(user, "こんにちは");
        // Fields of the wrong JSON type: ignored, never a 500.
        var postbackString = bot.Events.Base("postback", user, null, "active");
        postbackString["postback"] = "c=menu";
        var unsendNumber = bot.Events.Base("unsend", user, null, "active");
        unsendNumber["unsend"] = 42;
        var messageArray = bot.Events.Base("message", user, null, "active");
        messageArray["message"] = new JsonArray(1, 2);
        var sourceString = bot.Events.Base("follow", user, null, "active");
        sourceString["source"] = "user";
        sourceString["timestamp"] = "yesterday";
        sourceString["deliveryContext"] = "again";

        using (var response = await bot.SendAsync(edited, noMessage, noId, join, noSource, postbackString, unsendNumber, messageArray, sourceString, text))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var response = await bot.Line.PostWebhookAsync("{\"events\":[1,\"x\",null,[]]}"u8.ToArray(), bot.Line.Sign("{\"events\":[1,\"x\",null,[]]}"u8)))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var settled = await bot.SettleAsync(user);
        Assert.Single(bot.Line.Replies, settled.SentBefore);
        // The one valid event, a greeting, is answered as one.
        Assert.Contains("ご案内ボットです", FakeLinePlatform.ReadableText(settled.Before[0]));
        Assert.Equal("ignored", await db.ScalarAsync<string>("select outcome from line.inbox where webhook_event_id = @id", ("id", Id(edited))));
        Assert.Equal("ignored", await db.ScalarAsync<string>("select outcome from line.inbox where webhook_event_id = @id", ("id", Id(noMessage))));
        Assert.Equal("ignored", await db.ScalarAsync<string>("select outcome from line.inbox where webhook_event_id = @id", ("id", Id(noSource))));
        Assert.Equal("queued", await db.ScalarAsync<string>("select outcome from line.inbox where webhook_event_id = @id", ("id", Id(text))));
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task Without_credentials_the_channel_is_disabled_and_the_webhook_answers_503()
    {
        await using var app = new FrontDeskWebApp(db.ConnectionString);
        using var http = app.CreateClient();
        using var response = await http.PostAsync("/line/webhook", new StringContent("{\"events\":[]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Line__ChannelSecret", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_client_reads_a_profile_and_the_retention_job_forgets_old_event_ids()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        var profile = await bot.App.Services.GetRequiredService<LineMessagingClient>().GetProfileAsync(user, CancellationToken.None);
        Assert.Equal(user, profile?.UserId);
        Assert.False(string.IsNullOrEmpty(profile?.DisplayName));

        await db.ExecuteAsync("""
            insert into line.inbox (webhook_event_id, event_type, mode, is_redelivery, outcome, event_at, received_at)
            values ('OLD-EVENT', 'message', 'active', false, 'queued', now() - interval '40 days', now() - interval '40 days'),
                   ('NEW-EVENT', 'message', 'active', false, 'queued', now(), now())
            """);
        await bot.App.Services.GetRequiredService<LineInboxRetentionJob>().RunAsync(CancellationToken.None);
        Assert.Equal(0, await InboxRowsAsync("OLD-EVENT"));
        Assert.Equal(1, await InboxRowsAsync("NEW-EVENT"));
    }

    [Fact]
    public async Task Ids_that_PostgreSQL_cannot_store_are_ignored_while_the_events_sent_with_them_are_answered()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        var badId = bot.Events.Text(LineEvents.NewUserId(), "a");
        badId["webhookEventId"] = "01H\0BAD";
        var badUser = bot.Events.Text(LineEvents.NewUserId(), "b");
        badUser["source"]!["userId"] = "U\uD800";
        var good = bot.Events.Text(user, "こんにちは\0です");

        // One request with all three, and the good one also concurrently with others: nobody gets a server error.
        var others = Enumerable.Range(0, 9).Select(_ => LineEvents.NewUserId()).ToList();
        var responses = await Task.WhenAll(others.Select(u => bot.SendAsync(bot.Events.Text(u, "x"))).Append(bot.SendAsync(badId, badUser, good)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var r in responses)
            r.Dispose();

        await Eventually.TrueAsync(() => others.Append(user).All(u => bot.Line.DeliveredTo(u).Count > 0), "the good events are answered");
        Assert.Equal(1, await InboxRowsAsync(Id(good)));
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from line.inbox where webhook_event_id like '01H%BAD'"));
        await AllAnsweredAsync();
    }

    /// <summary>The class shares its database: answers still pending would be delivered by the next test's host.</summary>
    Task AllAnsweredAsync() => Eventually.TrueAsync(async () => await db.ScalarAsync<long>("""
        select (select count(*) from conversation.inbound where failed_at is null) + (select count(*) from conversation.outbox where failed_at is null)
        """) == 0, "every event processed and answered");

    [Fact]
    public async Task Three_hundred_randomly_damaged_events_never_cause_a_server_error()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var random = new Random(7);
        // NUL and a lone surrogate cannot be stored in PostgreSQL text: such an id must be ignored, not fail the write.
        JsonNode?[] replacements = [null, 0, -1, 1e300, "", "x", "\0x", "\uD800", true, new JsonArray(), new JsonObject(), new JsonArray(1, "a")];
        for (var i = 0; i < 300; i++)
        {
            var user = LineEvents.NewUserId();
            var e = (i % 6) switch
            {
                0 => bot.Events.Text(user, "こんにちは"),
                1 => bot.Events.Postback(user, "c=topic&v=akiya"),
                2 => bot.Events.Follow(user),
                3 => bot.Events.Unfollow(user),
                4 => bot.Events.Unsend(user, "123"),
                _ => bot.Events.Sticker(user),
            };
            // Damage one field somewhere in the event: remove it or give it a value of another type.
            var objects = new List<JsonObject>();
            void Collect(JsonNode? node)
            {
                if (node is JsonObject o)
                {
                    objects.Add(o);
                    foreach (var (_, child) in o)
                        Collect(child);
                }
            }
            Collect(e);
            var target = objects[random.Next(objects.Count)];
            var key = target.Select(p => p.Key).ElementAt(random.Next(target.Count));
            if (random.Next(3) == 0)
                target.Remove(key);
            else
                target[key] = replacements[random.Next(replacements.Length)]?.DeepClone();
            using var response = await bot.SendAsync(e);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode} for {e.ToJsonString()}");
        }
        await AllAnsweredAsync();
        Assert.Empty(bot.Line.InvalidCalls);
    }
}
