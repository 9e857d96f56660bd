using System.Text.Json;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Intake;
using FrontDesk.Bot.Handoff;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FrontDesk.Bot.Tests.Handoff;

public sealed class HandoffTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    static readonly Dictionary<string, string?> AlwaysOpen = OfficeHoursSettings.AlwaysOpen();

    BotHost host = null!;

    public async Task InitializeAsync()
    {
        host = await BotHost.StartAsync(db.ConnectionString, settings: AlwaysOpen);
        await KnowledgeContent.LoadAsync(host.Services, KnowledgeContent.ArticlesFolder);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    static ConversationAddress User(string id) => new(RecordingSender.ChannelName, id);
    IReadOnlyList<string> Texts(string user) => host.Sender.TextsTo(user);

    Task ConsoleAsync(BotHost on, string user, string name, string coordinator, string? text = null) =>
        on.Engine.HandleAsync(User(user), Activity.Event(name) with { Value = coordinator, Text = text }, CancellationToken.None);

    async Task<HandoffState?> HandoffAsync(string user)
    {
        var json = await db.ScalarAsync<string>("select state::text from conversation.conversations where key = @k", ("k", User(user).Key));
        return JsonSerializer.Deserialize<ConversationState>(json!, ConversationEngine.Json)!.Handoff;
    }

    [Fact]
    public async Task Asking_for_a_person_puts_the_user_in_the_queue_and_the_bot_steps_aside()
    {
        await host.SayAsync("h1", "相談員と話したいです");
        Assert.Contains("相談員におつなぎします", Texts("h1")[^1]);
        Assert.Contains("待ち時間の目安は5分", Texts("h1")[^1]);
        var handoff = await HandoffAsync("h1");
        Assert.Equal(HandoffStatus.Waiting, handoff?.Status);
        Assert.Equal("requested", handoff?.Reason);

        // While waiting, questions go to the coordinator, not to the bot; the user is told they arrived.
        await host.SayAsync("h1", "移住支援金は世帯でいくらもらえますか？");
        Assert.Equal(2, Texts("h1").Count);
        Assert.Contains("メッセージは相談員に届いています", Texts("h1")[^1]);
        Assert.DoesNotContain("100万円", Texts("h1")[^1]);
        Assert.Equal(1, await db.ScalarAsync<long>(
            "select count(*) from conversation.transcript where conversation_key = 'test:h1' and direction = 'i' and activity->>'text' like '移住支援金%'"));
    }

    [Fact]
    public async Task A_coordinator_claims_replies_and_closes_and_the_bot_answers_again()
    {
        await host.PressAsync("h2", Commands.Contact);
        await ConsoleAsync(host, "h2", HandoffEvents.Claim, "sato");
        Assert.Contains("相談員がつながりました", Texts("h2")[^1]);
        Assert.Equal("sato", (await HandoffAsync("h2"))?.Coordinator);

        await ConsoleAsync(host, "h2", HandoffEvents.Message, "sato", "佐藤です。どの地域をお考えですか？");
        Assert.Equal("佐藤です。どの地域をお考えですか？", Texts("h2")[^1]);
        Assert.Equal("coordinator", host.Sender.RepliesTo("h2")[^1].ChannelData["from"]);

        await ConsoleAsync(host, "h2", HandoffEvents.Message, "suzuki", "別の人からの返信");
        Assert.DoesNotContain("別の人からの返信", Texts("h2"));

        await ConsoleAsync(host, "h2", HandoffEvents.Close, "sato");
        Assert.Contains("相談員との会話を終了しました", Texts("h2")[^1]);
        Assert.Null(await HandoffAsync("h2"));
        await host.SayAsync("h2", "移住支援金は世帯でいくらもらえますか？");
        Assert.Contains("100万円", Texts("h2")[^1]);
    }

    [Fact]
    public async Task Two_coordinators_claiming_at_the_same_moment_from_two_hosts_give_the_conversation_to_exactly_one()
    {
        await using var other = await BotHost.StartAsync(db.ConnectionString, settings: AlwaysOpen);
        for (var round = 0; round < 10; round++)
        {
            var user = $"race-{round}";
            await host.PressAsync(user, Commands.Contact);
            await Task.WhenAll(ConsoleAsync(host, user, HandoffEvents.Claim, "sato"), ConsoleAsync(other, user, HandoffEvents.Claim, "suzuki"));

            var handoff = await HandoffAsync(user);
            Assert.Equal(HandoffStatus.Active, handoff?.Status);
            Assert.Contains(handoff?.Coordinator, new[] { "sato", "suzuki" });
            var joined = host.Sender.TextsTo(user).Concat(other.Sender.TextsTo(user)).Count(t => t.Contains("相談員がつながりました"));
            Assert.Equal(1, joined);
        }
    }

    [Fact]
    public async Task Two_declined_answers_in_a_row_bring_in_a_coordinator()
    {
        await host.SayAsync("h3", "明日の東京の天気を教えて");
        Assert.Null(await HandoffAsync("h3"));
        await host.SayAsync("h3", "おいしいカレーの作り方は？");
        Assert.Contains("うまくお答えできず申し訳ありません", Texts("h3")[^1]);
        Assert.Equal("declined", (await HandoffAsync("h3"))?.Reason);
    }

    [Theory]
    [InlineData("私の申請の結果はいつわかりますか", "application", "相談員が直接お受けします")]
    [InlineData("事故にあいました、助けてください", "emergency", "119")]
    [InlineData("市役所の対応について苦情を言いたい", "complaint", "相談員が直接お受けします")]
    [InlineData("このボット、役に立たないね", "frustrated", "お役に立てず申し訳ありません")]
    public async Task Topics_that_belong_to_a_person_go_to_one_at_once(string text, string reason, string reply)
    {
        var user = "topic-" + reason;
        await host.SayAsync(user, text);
        Assert.Contains(reply, Texts(user)[^1]);
        Assert.Equal(reason, (await HandoffAsync(user))?.Reason);
    }

    [Fact]
    public async Task The_same_question_three_times_counts_as_frustration()
    {
        for (var i = 0; i < 3; i++)
            await host.SayAsync("h4", "二地域居住って何ですか");
        Assert.Equal("frustrated", (await HandoffAsync("h4"))?.Reason);
    }

    [Fact]
    public async Task Back_to_bot_cancels_the_wait()
    {
        await host.SayAsync("h5", "スタッフを呼ぶ");
        await host.SayAsync("h5", "ボットに戻る");
        Assert.Contains("ボットでのご案内に戻りました", Texts("h5")[^1]);
        Assert.Null(await HandoffAsync("h5"));
    }

    [Fact]
    public async Task The_kiosk_staff_button_is_marked_as_a_kiosk_handoff()
    {
        await host.PressAsync("h6", Commands.Contact, "kiosk");
        Assert.Equal("kiosk", (await HandoffAsync("h6"))?.Reason);
    }

    [Fact]
    public async Task A_form_in_progress_waits_during_the_handoff_and_continues_after_it()
    {
        await host.PressAsync("h7", Commands.StartFlow, IntakeFlow.FlowName);
        await host.PressAsync("h7", Commands.Answer, "dual");
        await host.SayAsync("h7", "相談員と話したい");
        await ConsoleAsync(host, "h7", HandoffEvents.Claim, "sato");
        await ConsoleAsync(host, "h7", HandoffEvents.Close, "sato");
        await host.SayAsync("h7", "2人");
        Assert.Contains("（3/4）", Texts("h7")[^1]);
    }

    [Fact]
    public async Task Out_of_office_hours_the_user_is_told_when_someone_will_reply()
    {
        var saturdayMorning = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(9)).ToUniversalTime());
        await using var weekend = await BotHost.StartAsync(db.ConnectionString, services: s => s.AddSingleton<TimeProvider>(saturdayMorning));
        await weekend.SayAsync("h8", "相談員と話したい");
        var text = weekend.Sender.TextsTo("h8")[^1];
        Assert.Contains("受付時間外", text);
        Assert.Contains("11月30日（月）9:00", text);
    }

    [Fact]
    public async Task A_waiting_user_is_acknowledged_after_the_handoff_and_then_at_most_once_in_ten_minutes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero)); // Tuesday 10:00 in Tokyo
        await using var office = await BotHost.StartAsync(db.ConnectionString, services: s => s.AddSingleton<TimeProvider>(clock));
        await office.SayAsync("h11", "相談員と話したい");
        await office.SayAsync("h11", "いつ頃連絡もらえますか？");
        var texts = office.Sender.TextsTo("h11");
        Assert.Equal(2, texts.Count);
        Assert.Contains("メッセージは相談員に届いています", texts[1]);
        Assert.Contains("待ち時間の目安は5分", texts[1]);
        Assert.Contains(office.Sender.RepliesTo("h11")[1].SuggestedActions, a => a.Value == Commands.BackToBot);

        clock.Advance(TimeSpan.FromMinutes(3));
        await office.SayAsync("h11", "まだですか");
        Assert.Equal(2, office.Sender.TextsTo("h11").Count);

        clock.Advance(TimeSpan.FromMinutes(8));
        await office.SayAsync("h11", "よろしくお願いします");
        Assert.Equal(3, office.Sender.TextsTo("h11").Count);
        Assert.Contains("メッセージは相談員に届いています", office.Sender.TextsTo("h11")[^1]);
    }

    [Fact]
    public async Task Out_of_hours_a_waiting_user_who_asks_when_is_told_the_next_opening()
    {
        var saturdayMorning = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(9)).ToUniversalTime());
        await using var weekend = await BotHost.StartAsync(db.ConnectionString, services: s => s.AddSingleton<TimeProvider>(saturdayMorning));
        await weekend.SayAsync("h12", "相談員と話したい");
        await weekend.SayAsync("h12", "いつ頃連絡もらえますか？");
        var text = weekend.Sender.TextsTo("h12")[^1];
        Assert.Contains("メッセージは相談員に届いています", text);
        Assert.Contains("11月30日（月）9:00以降", text);
        Assert.Equal(2, weekend.Sender.TextsTo("h12").Count);
    }

    [Fact]
    public async Task Out_of_hours_two_declines_do_not_hand_over_and_the_bot_keeps_answering()
    {
        var saturdayMorning = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(9)).ToUniversalTime());
        await using var weekend = await BotHost.StartAsync(db.ConnectionString, services: s => s.AddSingleton<TimeProvider>(saturdayMorning));
        await KnowledgeContent.LoadAsync(weekend.Services, KnowledgeContent.ArticlesFolder);
        await weekend.SayAsync("h13", "明日の東京の天気を教えて");
        await weekend.SayAsync("h13", "おいしいカレーの作り方は？");
        var texts = weekend.Sender.TextsTo("h13");
        Assert.Contains("分かりません", texts[^2]);
        Assert.Contains("ただいま受付時間外のため、相談員からのお返事は11月30日（月）9:00以降になります", texts[^1]);
        Assert.Contains(weekend.Sender.RepliesTo("h13")[^1].SuggestedActions, a => a.Value == Commands.Contact);
        var json = await db.ScalarAsync<string>("select state::text from conversation.conversations where key = @k", ("k", User("h13").Key));
        Assert.Null(JsonSerializer.Deserialize<ConversationState>(json!, ConversationEngine.Json)!.Handoff);

        await weekend.SayAsync("h13", "移住支援金は世帯でいくらもらえますか？");
        Assert.Contains("100万円", weekend.Sender.TextsTo("h13")[^1]);
    }

    [Fact]
    public async Task Out_of_hours_the_kiosk_promises_no_reply_on_its_screen_and_points_to_LINE()
    {
        var saturdayMorning = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(9)).ToUniversalTime());
        await using var weekend = await BotHost.StartAsync(db.ConnectionString, services: s => s.AddSingleton<TimeProvider>(saturdayMorning));
        var visitor = new ConversationAddress(ConversationAddress.KioskChannel, "h14");
        await weekend.Engine.HandleAsync(visitor, Activity.Command(Commands.Contact, "kiosk"), CancellationToken.None);
        var said = await db.ScalarAsync<string>(
            "select string_agg(activity->>'text', '\n' order by id) from conversation.transcript where conversation_key = @k and direction = 'o'", ("k", visitor.Key));
        Assert.Contains("この画面では相談員からお返事できません", said);
        Assert.Contains("「LINEで続ける」", said);
        Assert.DoesNotContain("こちらでお返事します", said);
    }

    [Fact]
    public async Task A_kiosk_visitor_who_leaves_ends_the_handoff_and_the_console_sees_it()
    {
        var visitor = new ConversationAddress(ConversationAddress.KioskChannel, "h15");
        await host.Engine.HandleAsync(visitor, Activity.Command(Commands.Contact, "kiosk"), CancellationToken.None);
        await host.Engine.HandleAsync(visitor, Activity.Event(HandoffEvents.VisitorLeft) with { Text = HandoffEvents.VisitorLeftText }, CancellationToken.None);
        Assert.Equal("null", await db.ScalarAsync<string>("select coalesce(state->'handoff', 'null'::jsonb)::text from conversation.conversations where key = @k", ("k", visitor.Key)));

        // Nobody to claim or answer any more.
        await host.Engine.HandleAsync(visitor, Activity.Event(HandoffEvents.Claim) with { Value = "sato" }, CancellationToken.None);
        var lines = await db.ScalarAsync<string>("select string_agg(coalesce(activity->>'text', ''), '\n' order by id) from conversation.transcript where conversation_key = @k", ("k", visitor.Key));
        Assert.Contains("（来訪者が退出しました）", lines);
        Assert.DoesNotContain("相談員がつながりました", lines);
    }

    [Fact]
    public async Task A_conversation_nobody_claims_gets_one_reminder_after_the_configured_wait()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero)); // Tuesday 10:00 in Tokyo
        await using var office = await BotHost.StartAsync(db.ConnectionString, services: s => s.AddSingleton<TimeProvider>(clock));
        var job = office.Services.GetRequiredService<HandoffReminderJob>();
        await office.SayAsync("h9", "相談員と話したい");

        clock.Advance(TimeSpan.FromMinutes(5));
        await job.RunAsync(CancellationToken.None);
        Assert.DoesNotContain(office.Sender.TextsTo("h9"), t => t.Contains("お待たせしており"));

        clock.Advance(TimeSpan.FromMinutes(6));
        await job.RunAsync(CancellationToken.None);
        Assert.Contains("お待たせしており申し訳ありません", office.Sender.TextsTo("h9")[^1]);
        Assert.NotNull((await HandoffAsync("h9"))?.RemindedAt);

        var count = office.Sender.TextsTo("h9").Count;
        clock.Advance(TimeSpan.FromMinutes(20));
        await job.RunAsync(CancellationToken.None);
        Assert.Equal(count, office.Sender.TextsTo("h9").Count);
    }
}
