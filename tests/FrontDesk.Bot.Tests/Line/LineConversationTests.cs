using System.Net;
using FrontDesk.Bot.Conversations;
using FrontDesk.FakeLine;
using FrontDesk.Testing;
using FrontDesk.Testing.FakeLine;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Line;

/// <summary>A LINE user's conversation end to end: signed webhooks in, Messaging API calls out, each one valid against the OpenAPI file.</summary>
public sealed class LineConversationTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    static readonly DateTimeOffset TwoMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-2);

    [Fact]
    public async Task A_new_friend_is_greeted_with_the_menu_and_a_question_is_answered_with_the_reply_token()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();

        using (var response = await bot.SendAsync(bot.Events.Follow(user)))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var texts = await bot.TextsToAsync(user, 2);
        Assert.Contains("移住・二地域居住の相談窓口です", texts[0]);
        Assert.Contains("[相談員と話す]", texts[1]);
        var greeting = bot.Line.DeliveredTo(user);
        Assert.Equal("flex", greeting[1]["type"]!.GetValue<string>());

        await bot.SendAsync(bot.Events.Text(user, "相談員と話したい"));
        texts = await bot.TextsToAsync(user, 3);
        Assert.Contains("相談員におつなぎします", texts[2]);

        Assert.Equal(2, bot.Line.Replies.Count);
        Assert.Empty(bot.Line.Pushes);
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task Rich_menu_postbacks_run_the_commands_they_carry()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();

        await bot.SendAsync(bot.Events.Postback(user, "c=topic&v=akiya"));
        Assert.Contains("空き家バンク", (await bot.TextsToAsync(user, 1))[0]);
        await bot.SendAsync(bot.Events.Postback(user, "c=menu"));
        Assert.Contains("ご用件をお選びください", (await bot.TextsToAsync(user, 3))[1]); // text, then the menu bubble
        await bot.SendAsync(bot.Events.Postback(user, "c=contact"));
        Assert.Contains("相談員におつなぎします", (await bot.TextsToAsync(user, 4))[3]);
        await bot.SendAsync(bot.Events.Postback(user, "c=bot"));
        Assert.Contains("ボットでのご案内に戻りました", (await bot.TextsToAsync(user, 5))[4]);
        // A quick-reply button of the intake questionnaire: the postback starts the flow.
        await bot.SendAsync(bot.Events.Postback(user, "c=flow&v=intake"));
        Assert.Contains("（1/4）", string.Join("\n", await bot.TextsToAsync(user, 7)));
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task Stickers_images_and_locations_get_a_friendly_reply_saying_what_the_bot_can_read()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        await bot.SendAsync(bot.Events.Sticker(user));
        await bot.SendAsync(bot.Events.Image(user));
        await bot.SendAsync(bot.Events.Location(user));
        // A message type LINE may add later.
        await bot.SendAsync(bot.Events.Message(user, new System.Text.Json.Nodes.JsonObject { ["type"] = "hologram", ["id"] = "42" }));
        var texts = await bot.TextsToAsync(user, 4);
        Assert.Contains("スタンプ", texts[0]);
        Assert.Contains("画像", texts[1]);
        Assert.Contains("位置情報", texts[2]);
        Assert.Contains("このメッセージは読み取ることができません", texts[3]);
        Assert.All(texts, t => Assert.Contains("文字のメッセージ", t));
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task An_unsent_message_is_removed_from_the_transcript()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        var message = bot.Events.Text(user, "電話番号は090-0000-0000です");
        var messageId = message["message"]!["id"]!.GetValue<string>();
        await bot.SendAsync(message);
        await bot.TextsToAsync(user);
        const string sql = "select count(*) from conversation.transcript where conversation_key = @k and activity ->> 'channelMessageId' = @m";
        Assert.Equal(1, await db.ScalarAsync<long>(sql, ("k", "line:" + user), ("m", messageId)));

        await bot.SendAsync(bot.Events.Unsend(user, messageId));
        await Eventually.TrueAsync(async () => await db.ScalarAsync<long>(sql, ("k", "line:" + user), ("m", messageId)) == 0);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from conversation.transcript where conversation_key = @k and activity::text like '%090-0000%'", ("k", "line:" + user)));
    }

    [Fact]
    public async Task During_a_handoff_an_unsent_message_leaves_the_console_view_and_the_unsend_gets_no_reply()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        var key = "line:" + user;
        await bot.SendAsync(bot.Events.Text(user, "相談員と話したい"));
        Assert.Contains("相談員におつなぎします", (await bot.TextsToAsync(user, 1))[0]);

        var message = bot.Events.Text(user, "電話番号は090-1111-2222です");
        await bot.SendAsync(message);
        var queries = bot.App.Services.GetRequiredService<FrontDesk.Bot.Coordinators.ConsoleQueries>();
        await Eventually.TrueAsync(async () => (await queries.ConversationAsync(key, CancellationToken.None)).Lines.Any(l => l.Text.Contains("090-1111")),
            "the coordinator should see the message first");
        Assert.Contains("メッセージは相談員に届いています", (await bot.TextsToAsync(user, 2))[1]);
        // Long enough waiting that the next message from the user would get the "still waiting" notice.
        await db.ExecuteAsync("update conversation.conversations set state = jsonb_set(state, '{handoff,lastNoticeAt}', to_jsonb('2020-01-01T00:00:00Z'::text)) where key = @k", ("k", key));

        await bot.SendAsync(bot.Events.Unsend(user, message["message"]!["id"]!.GetValue<string>()));
        // A coordinator joining after the unsend is the sentinel: its greeting is the next thing the user receives.
        var engine = bot.App.Services.GetRequiredService<ConversationEngine>();
        await engine.HandleAsync(new ConversationAddress("line", user), Activity.Event(FrontDesk.Bot.Handoff.HandoffEvents.Claim) with { Value = "sato" }, CancellationToken.None);

        var texts = await bot.TextsToAsync(user, 3);
        Assert.Contains("相談員がつながりました", texts[2]);
        Assert.Equal(3, bot.Line.DeliveredTo(user).Count);
        var (state, lines) = await queries.ConversationAsync(key, CancellationToken.None);
        Assert.Equal("sato", state?.Handoff?.Coordinator);
        Assert.DoesNotContain(lines, l => l.Text.Contains("090-1111") || l.Text.Contains("unsend"));
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from conversation.transcript where conversation_key = @k and activity::text like '%090-1111%'", ("k", key)));
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task An_expired_reply_token_falls_back_to_push()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        await bot.SendAsync(bot.Events.Text(user, "メニュー", at: TwoMinutesAgo));
        await bot.TextsToAsync(user);
        Assert.Empty(bot.Line.Replies);
        var push = Assert.Single(bot.Line.Pushes);
        Assert.Equal(user, push.Body!["to"]!.GetValue<string>());
        Assert.True(Guid.TryParse(push.RetryKey, out _));
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task A_reply_token_LINE_refuses_falls_back_to_push()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        var e = bot.Events.Text(user, "メニュー");
        bot.Line.ExpireReplyTokens();
        await bot.SendAsync(e);
        await bot.TextsToAsync(user);
        Assert.Equal(400, Assert.Single(bot.Line.Replies).Status);
        Assert.Single(bot.Line.Pushes, p => p.Succeeded);
        Assert.Equal(2, bot.Line.DeliveredTo(user).Count);
    }

    [Fact]
    public async Task A_429_or_500_on_push_is_retried_with_the_same_retry_key_and_delivered_once()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        bot.Line.NextPushes(FakeOutcome.TooManyRequests, FakeOutcome.ServerError);
        await bot.SendAsync(bot.Events.Text(user, "メニュー", at: TwoMinutesAgo));
        await bot.TextsToAsync(user, 2);
        // The sentinel is answered with its reply token, so every push here is the retried one.
        var settled = await bot.SettleAsync(user);
        var pushes = bot.Line.Pushes;
        Assert.Equal([429, 500, 200], pushes.Select(p => p.Status));
        Assert.Single(pushes.Select(p => p.RetryKey).Distinct());
        Assert.Equal(2, settled.Before.Count);

        // The push went through but its answer was lost: the retry gets 409 and nothing is delivered twice.
        bot.Line.ClearCalls();
        var other = LineEvents.NewUserId();
        bot.Line.NextPushes(FakeOutcome.DeliveredThenServerError);
        await bot.SendAsync(bot.Events.Text(other, "メニュー", at: TwoMinutesAgo));
        await Eventually.TrueAsync(() => bot.Line.Pushes.Count == 2);
        settled = await bot.SettleAsync(other);
        Assert.Equal([500, 409], bot.Line.Pushes.Select(p => p.Status));
        Assert.Equal(2, settled.Before.Count);
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task A_reply_answered_with_500_is_tried_once_more_with_its_token_and_delivered_once()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        bot.Line.NextReplies(FakeOutcome.ServerError);
        await bot.SendAsync(bot.Events.Text(user, "メニュー"));
        await bot.TextsToAsync(user, 2);
        await Eventually.TrueAsync(async () => await db.ScalarAsync<long>("select count(*) from conversation.outbox where conversation_key = @k", ("k", "line:" + user)) == 0);
        Assert.Equal([500, 200], bot.Line.Replies.Select(r => r.Status));
        Assert.Empty(bot.Line.Pushes);
        Assert.Equal(2, bot.Line.DeliveredTo(user).Count);
    }

    [Fact]
    public async Task Users_who_unfollowed_get_no_push_until_they_follow_again()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        // The old message is answered by push; the block that came after it wins.
        await bot.SendAsync(bot.Events.Text(user, "こんにちは", at: TwoMinutesAgo), bot.Events.Unfollow(user));
        await Eventually.TrueAsync(async () => await db.ScalarAsync<long>("select count(*) from conversation.inbound where conversation_key = @k", ("k", "line:" + user)) == 0);
        // The answer's outbox row is written with the turn and deleted once its delivery is decided: gone without a push.
        await Eventually.TrueAsync(async () => await db.ScalarAsync<long>("select count(*) from conversation.outbox where conversation_key = @k", ("k", "line:" + user)) == 0);
        Assert.Empty(bot.Line.Pushes);
        Assert.False(await db.ScalarAsync<bool>("select following from line.users where user_id = @u", ("u", user)));

        // A redelivered, older unfollow does not undo a newer follow.
        var follow = bot.Events.Follow(user);
        await bot.SendAsync(follow);
        await bot.TextsToAsync(user, 2);
        await bot.SendAsync(LineEvents.Redelivery(bot.Events.Unfollow(user, TwoMinutesAgo)));
        Assert.True(await db.ScalarAsync<bool>("select following from line.users where user_id = @u", ("u", user)));
    }

    [Fact]
    public async Task Standby_mode_events_send_nothing()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        var e = bot.Events.Text(user, "こんにちは", mode: "standby");
        using (var response = await bot.SendAsync(e))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Had the standby event been handled, its answer would reach the user before the sentinel's.
        var settled = await bot.SettleAsync(user);
        Assert.Empty(settled.Before);
        Assert.DoesNotContain(bot.Line.Calls, settled.SentBefore);
        Assert.Equal("standby", await db.ScalarAsync<string>("select outcome from line.inbox where webhook_event_id = @id", ("id", e["webhookEventId"]!.GetValue<string>())));
    }

    [Fact]
    public async Task An_answer_of_more_than_five_messages_uses_the_reply_token_then_pushes_the_rest_in_order()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString, services: s => s.AddSingleton<ITurnMiddleware, SevenAnswers>());
        var user = LineEvents.NewUserId();
        await bot.SendAsync(bot.Events.Text(user, "seven"));
        var texts = await bot.TextsToAsync(user, 7);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"answer {i}"), texts);
        Assert.Equal(5, Assert.Single(bot.Line.Replies).Messages.Count);
        Assert.Equal(2, Assert.Single(bot.Line.Pushes).Messages.Count);
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task The_loading_animation_is_shown_before_a_slow_answer()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString,
            settings: new Dictionary<string, string?> { ["Line:LoadingAnimationAfter"] = "00:00:00" });
        var user = LineEvents.NewUserId();
        await bot.SendAsync(bot.Events.Text(user, "こんにちは"));
        await bot.TextsToAsync(user);
        var loading = Assert.Single(bot.Line.Calls, c => c.Path == "/v2/bot/chat/loading/start");
        Assert.Equal(202, loading.Status);
        Assert.Equal(user, loading.Body!["chatId"]!.GetValue<string>());
        Assert.True(loading.Sequence < bot.Line.Replies.Single().Sequence);
        Assert.Empty(bot.Line.InvalidCalls);
    }

    sealed class SevenAnswers : ITurnMiddleware
    {
        public Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct)
        {
            if (turn.Inbound.Text != "seven")
                return next(turn, ct);
            for (var i = 1; i <= 7; i++)
                turn.Send(Activity.Message($"answer {i}"));
            return Task.CompletedTask;
        }
    }
}
