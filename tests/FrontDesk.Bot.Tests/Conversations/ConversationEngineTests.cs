using System.Text.Json;
using FrontDesk.Bot.Conversations;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Conversations;

public sealed class ConversationEngineTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    static ConversationAddress User(string id) => new(RecordingSender.ChannelName, id);

    async Task<(ConversationState State, int Version)> LoadStateAsync(string user)
    {
        await using var cmd = db.DataSource.CreateCommand("select state::text, version from conversation.conversations where key = @k");
        cmd.Parameters.AddWithValue("k", User(user).Key);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "conversation row missing");
        return (JsonSerializer.Deserialize<ConversationState>(reader.GetString(0), ConversationEngine.Json)!, reader.GetInt32(1));
    }

    [Fact]
    public async Task State_round_trips_through_postgres_between_turns_and_hosts()
    {
        await using (var first = await BotHost.StartAsync(db.ConnectionString))
        {
            await first.PressAsync("alice", Commands.StartFlow, "intake");
            await first.PressAsync("alice", Commands.Answer, "dual");
        }

        var (state, version) = await LoadStateAsync("alice");
        Assert.Equal(2, version);
        Assert.Equal("intake", state.ActiveFlow?.Flow);
        Assert.Equal("household", state.ActiveFlow?.Step);
        Assert.Equal("dual", state.ActiveFlow?.Values["interest"]);

        // A different host instance continues exactly where the first left off.
        await using var second = await BotHost.StartAsync(db.ConnectionString);
        await second.SayAsync("alice", "３人");
        Assert.Contains("（3/4）", second.Sender.TextsTo("alice").Last());
        (state, version) = await LoadStateAsync("alice");
        Assert.Equal(3, version);
        Assert.Equal("3", state.ActiveFlow?.Values["household"]);
    }

    [Fact]
    public async Task A_turn_whose_state_changed_meanwhile_is_rerun_and_replies_once()
    {
        var writer = new ConcurrentWriter(db.DataSource);
        await using var host = await BotHost.StartAsync(db.ConnectionString, services: s => s.AddSingleton<ITurnMiddleware>(writer));
        await host.SayAsync("bob", "hello");          // creates the row (version 1)
        await host.SayAsync("bob", "conflict");       // first run collides with the concurrent writer

        Assert.Equal(2, writer.Runs);
        var (state, version) = await LoadStateAsync("bob");
        Assert.Equal("other", state.Profile["writer"]);   // the concurrent write survived
        Assert.Equal(2, state.Turns);                      // the re-run counted once
        Assert.Equal(3, version);
        Assert.Equal(["ok", "ok"], host.Sender.TextsTo("bob"));
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from conversation.inbound where conversation_key = @k", ("k", User("bob").Key)));
    }

    [Fact]
    public async Task Fifty_messages_for_one_user_across_two_hosts_are_processed_once_each_in_arrival_order()
    {
        await using var a = await BotHost.StartAsync(db.ConnectionString, dispatcher: true, services: s => s.AddSingleton<ITurnMiddleware, SeenLog>());
        await using var b = await BotHost.StartAsync(db.ConnectionString, dispatcher: true, services: s => s.AddSingleton<ITurnMiddleware, SeenLog>());
        var user = User("carol");

        // Arrival order: each message is accepted before the next is sent, alternating between the hosts,
        // while both hosts process in the background.
        for (var i = 1; i <= 50; i++)
            await (i % 2 == 0 ? a : b).Dispatcher.PostAsync(user, Activity.Message(i.ToString()), CancellationToken.None);

        await WaitUntilProcessedAsync(user);
        var (state, _) = await LoadStateAsync("carol");
        Assert.Equal(string.Join(',', Enumerable.Range(1, 50)), state.Profile["seen"]);
        await Eventually.TrueAsync(() => a.Sender.RepliesTo("carol").Count + b.Sender.RepliesTo("carol").Count == 50);
    }

    [Fact]
    public async Task Fifty_concurrent_messages_across_two_hosts_run_in_the_order_they_were_recorded()
    {
        await using var a = await BotHost.StartAsync(db.ConnectionString, dispatcher: true, services: s => s.AddSingleton<ITurnMiddleware, SeenLog>());
        await using var b = await BotHost.StartAsync(db.ConnectionString, dispatcher: true, services: s => s.AddSingleton<ITurnMiddleware, SeenLog>());
        var user = User("dave");

        var posts = Enumerable.Range(1, 50).Select(async i =>
            (Text: i.ToString(), Id: await (i % 2 == 0 ? a : b).Dispatcher.PostAsync(user, Activity.Message(i.ToString()), CancellationToken.None)));
        var recorded = await Task.WhenAll(posts);

        await WaitUntilProcessedAsync(user);
        var (state, _) = await LoadStateAsync("dave");
        var arrivalOrder = recorded.OrderBy(r => r.Id).Select(r => r.Text);
        Assert.Equal(string.Join(',', arrivalOrder), state.Profile["seen"]);
        Assert.Equal(100, await db.ScalarAsync<long>("select count(*) from conversation.transcript where conversation_key = @k", ("k", user.Key)));
    }

    [Fact]
    public async Task Activities_left_unprocessed_by_a_stopped_host_are_processed_by_the_next_one()
    {
        var user = User("erin");
        await using (var crashed = await BotHost.StartAsync(db.ConnectionString))
        {
            // Accepted (the channel was told "received") but never processed.
            await crashed.Engine.AcceptAsync(user, Activity.Message("first"), CancellationToken.None);
            await crashed.Engine.AcceptAsync(user, Activity.Message("second"), CancellationToken.None);
        }

        await using var next = await BotHost.StartAsync(db.ConnectionString, dispatcher: true, services: s => s.AddSingleton<ITurnMiddleware, SeenLog>());
        await WaitUntilProcessedAsync(user);
        var (state, _) = await LoadStateAsync("erin");
        Assert.Equal("first,second", state.Profile["seen"]);
        await Eventually.TrueAsync(() => next.Sender.TextsTo("erin").Count == 2);
        Assert.Equal(["first", "second"], next.Sender.TextsTo("erin"));
    }

    [Fact]
    public async Task A_failing_flow_apologises_resets_the_flow_and_keeps_the_transcript()
    {
        await using var host = await BotHost.StartAsync(db.ConnectionString, services: s => s.AddSingleton<ITurnMiddleware, Exploding>());
        await host.PressAsync("frank", Commands.StartFlow, "intake");
        await host.SayAsync("frank", "エラーを起こす");

        Assert.Contains("問題が起きました", host.Sender.TextsTo("frank").Last());
        var (state, _) = await LoadStateAsync("frank");
        Assert.Empty(state.Flows);
        Assert.Equal(1, await db.ScalarAsync<long>(
            "select count(*) from conversation.transcript where conversation_key = @k and direction = 'o' and activity->>'text' like '%問題が起きました%'",
            ("k", User("frank").Key)));
    }

    Task WaitUntilProcessedAsync(ConversationAddress user) =>
        Eventually.TrueAsync(async () => await db.ScalarAsync<long>("select count(*) from conversation.inbound where conversation_key = @k", ("k", user.Key)) == 0,
            "messages were not processed within a minute", seconds: 60);
}
