using System.Net;
using System.Text.Json.Nodes;
using FrontDesk.Bot.Conversations;
using FrontDesk.FakeLine;
using FrontDesk.Testing;
using FrontDesk.Testing.FakeLine;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Line;

/// <summary>Duplicates, redeliveries, load, ordering and a host that stops with events in its inbox.</summary>
public sealed class LineReliabilityTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_thousand_events_with_ten_percent_duplicates_and_redeliveries_get_exactly_one_answer_each()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var users = Enumerable.Range(0, 100).Select(_ => LineEvents.NewUserId()).ToList();
        var events = users.SelectMany(u => Enumerable.Range(1, 10).Select(i => bot.Events.Text(u, $"質問 {i}"))).ToList();
        var random = new Random(4);
        // 50 exact duplicates and 50 redeliveries (same webhookEventId, isRedelivery = true), mixed in with the originals.
        var extra = events.OrderBy(_ => random.Next()).Take(100).Select((e, i) => i % 2 == 0 ? (JsonObject)e.DeepClone() : LineEvents.Redelivery(e)).ToList();
        var deliveries = events.Concat(extra).OrderBy(_ => random.Next()).ToList();
        // LINE batches several events into one request at times.
        var requests = new List<JsonObject[]>();
        for (var i = 0; i < deliveries.Count;)
        {
            var size = random.Next(1, 5);
            requests.Add(deliveries.Skip(i).Take(size).ToArray());
            i += size;
        }

        var statuses = new List<HttpStatusCode>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 20 }, async (batch, ct) =>
        {
            using var response = await bot.SendAsync(batch);
            lock (statuses)
                statuses.Add(response.StatusCode);
        });
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));

        // Each question is answered with one message (an empty knowledge base declines politely), in one call.
        await Eventually.TrueAsync(() => users.Sum(u => bot.Line.DeliveredTo(u).Count) >= 1000, "every event answered", seconds: 180);
        // A sentinel per user: a duplicate answered late would reach its user before the sentinel's answer.
        var settled = new List<Settled>();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 20 }, async (u, ct) =>
        {
            var s = await bot.SettleAsync(u);
            lock (settled)
                settled.Add(s);
        });
        Assert.All(settled, s => Assert.Equal(10, s.Before.Count));
        var sentinels = settled.Select(s => s.Answer.ReplyToken).ToHashSet();
        var sends = bot.Line.Replies.Concat(bot.Line.Pushes).Where(c => c.Succeeded && !sentinels.Contains(c.ReplyToken)).ToList();
        Assert.Equal(1000, sends.Count);
        Assert.Equal(1000, await db.ScalarAsync<long>("select count(*) from line.inbox where webhook_event_id = any(@ids)", ("ids", events.Select(e => e["webhookEventId"]!.GetValue<string>()).ToArray())));
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from conversation.inbound where conversation_key like 'line:%'"));
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task Events_of_one_user_are_processed_in_the_order_they_arrived()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();
        for (var i = 1; i <= 20; i++)
            using (await bot.SendAsync(bot.Events.Text(user, i.ToString())))
            {
            }
        await bot.TextsToAsync(user, 20);
        await using var cmd = db.DataSource.CreateCommand(
            "select activity ->> 'text' from conversation.transcript where conversation_key = @k and direction = 'i' order by id");
        cmd.Parameters.AddWithValue("k", "line:" + user);
        var seen = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                seen.Add(reader.GetString(0));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => i.ToString()), seen);
    }

    [Fact]
    public async Task Events_recorded_when_the_host_stops_are_all_processed_after_a_restart()
    {
        await using var line = await FakeLinePlatform.StartAsync();
        var users = Enumerable.Range(0, 3).Select(_ => LineEvents.NewUserId()).ToList();
        var events = users.SelectMany(u => Enumerable.Range(1, 10).Select(i => line.Events.Text(u, $"質問 {i}"))).ToList();
        var ids = events.Select(e => e["webhookEventId"]!.GetValue<string>()).ToArray();

        // The first host accepts every event but never finishes a turn, then stops: the events wait in the inbox.
        var keys = users.Select(u => "line:" + u).ToArray();
        await using (var crashing = await LineBot.StartAsync(db.ConnectionString, line,
            settings: new Dictionary<string, string?> { ["Line:LoadingAnimationAfter"] = "00:01:00" },
            services: s => s.AddSingleton<ITurnMiddleware, NeverFinishes>()))
        {
            foreach (var e in events)
                using (var response = await crashing.SendAsync(e))
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(30, await db.ScalarAsync<long>("select count(*) from line.inbox where webhook_event_id = any(@ids)", ("ids", ids)));
        }
        Assert.Empty(line.Calls);
        Assert.Equal(30, await db.ScalarAsync<long>("select count(*) from conversation.inbound where conversation_key = any(@keys)", ("keys", keys)));

        await using var restarted = await LineBot.StartAsync(db.ConnectionString, line);
        foreach (var user in users)
            Assert.Equal(10, (await restarted.TextsToAsync(user, 10)).Count);
        var settled = new List<Settled>();
        foreach (var user in users)
            settled.Add(await restarted.SettleAsync(user));
        Assert.All(settled, s => Assert.Equal(10, s.Before.Count));
        Assert.Equal(30, line.Replies.Count(r => r.Succeeded && settled.All(s => s.Answer.ReplyToken != r.ReplyToken)));
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from conversation.inbound where conversation_key = any(@keys)", ("keys", keys)));
        Assert.Empty(line.InvalidCalls);
    }

    [Fact]
    public async Task A_send_under_way_when_the_host_stops_finishes_and_is_not_sent_again_after_a_restart()
    {
        await using var line = await FakeLinePlatform.StartAsync();
        var user = LineEvents.NewUserId();
        line.SlowFor = TimeSpan.FromMilliseconds(700);
        line.NextReplies(FakeOutcome.DeliveredSlowly);
        await using (var stopping = await LineBot.StartAsync(db.ConnectionString, line))
        {
            await stopping.SendAsync(line.Events.Text(user, "メニュー"));
            // The messages are with LINE, its answer is not back yet: the host is stopped now.
            await stopping.TextsToAsync(user, 2);
        }
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from conversation.outbox where conversation_key = @k", ("k", "line:" + user)));

        await using var restarted = await LineBot.StartAsync(db.ConnectionString, line);
        // A send repeated by the restarted host would reach the user before the sentinel's answer.
        var settled = await restarted.SettleAsync(user);
        Assert.Single(line.Replies, settled.SentBefore);
        Assert.Empty(line.Pushes);
        Assert.Equal(2, settled.Before.Count);
    }

    sealed class NeverFinishes : ITurnMiddleware
    {
        public async Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct) => await Task.Delay(Timeout.Infinite, ct);
    }
}
