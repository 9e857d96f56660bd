using System.Text.Json;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Intake;
using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Flows;

public sealed class IntakeFlowTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    BotHost host = null!;

    public async Task InitializeAsync() => host = await BotHost.StartAsync(db.ConnectionString);
    public async Task DisposeAsync() => await host.DisposeAsync();

    string Last(string user) => host.Sender.TextsTo(user)[^1];

    async Task<ConversationState> StateAsync(string user)
    {
        var json = await db.ScalarAsync<string>("select state::text from conversation.conversations where key = @k", ("k", "test:" + user));
        return JsonSerializer.Deserialize<ConversationState>(json!, ConversationEngine.Json)!;
    }

    [Fact]
    public async Task A_visitor_completes_the_questionnaire_with_typed_answers_and_the_profile_keeps_them()
    {
        await host.PressAsync("u1", Commands.StartFlow, IntakeFlow.FlowName);
        Assert.Contains("（1/4）", Last("u1"));
        await host.SayAsync("u1", "二拠点居住を考えています");
        Assert.Contains("（2/4）", Last("u1"));
        await host.SayAsync("u1", "３人");
        await host.SayAsync("u1", "わからない");
        await host.SayAsync("u1", "長野県松本市");
        Assert.Contains("この内容でよろしいですか", Last("u1"));
        Assert.Contains("・ご関心: 二地域居住", Last("u1"));
        Assert.Contains("・世帯の人数: 3", Last("u1"));
        Assert.Contains("・希望の時期: わからない", Last("u1"));
        await host.SayAsync("u1", "はい");

        Assert.Contains("ありがとうございました", Last("u1"));
        var state = await StateAsync("u1");
        Assert.Empty(state.Flows);
        Assert.Equal("dual", state.Profile["intake.interest"]);
        Assert.Equal("3", state.Profile["intake.household"]);
        Assert.Equal(FormFlow.UnknownValue, state.Profile["intake.timing"]);
        Assert.Equal("長野県松本市", state.Profile["intake.area"]);
    }

    [Theory]
    [InlineData("たくさん", "数字でお答えください")]
    [InlineData("0", "1人以上")]
    [InlineData("-2", "1人以上")]
    [InlineData("100", "20人まで")]
    [InlineData("3か4", "数字でお答えください")]
    public async Task An_invalid_household_size_is_asked_again_with_the_reason(string answer, string reason)
    {
        var user = "u2-" + Guid.NewGuid().ToString("N")[..6];
        await host.PressAsync(user, Commands.StartFlow, IntakeFlow.FlowName);
        await host.PressAsync(user, Commands.Answer, "relocation");
        await host.SayAsync(user, answer);

        var replies = host.Sender.TextsTo(user);
        Assert.Contains(reason, replies[^2]);
        Assert.Contains("（2/4）", replies[^1]);
        Assert.Equal("household", (await StateAsync(user)).ActiveFlow?.Step);
    }

    [Fact]
    public async Task After_three_failed_answers_the_bot_offers_a_way_out()
    {
        await host.PressAsync("u3", Commands.StartFlow, IntakeFlow.FlowName);
        await host.SayAsync("u3", "ええと");
        await host.SayAsync("u3", "うーん");
        Assert.DoesNotContain("相談員と話したい", host.Sender.TextsTo("u3")[^2]);
        await host.SayAsync("u3", "なんだろう");
        Assert.Contains("相談員と話したい", host.Sender.TextsTo("u3")[^2]);
    }

    [Fact]
    public async Task Cancel_ends_the_flow_and_says_so()
    {
        await host.PressAsync("u4", Commands.StartFlow, IntakeFlow.FlowName);
        await host.PressAsync("u4", Commands.Answer, "dual");
        await host.SayAsync("u4", "やめる");

        Assert.Contains("「相談前の簡単な質問」を中止しました", Last("u4"));
        Assert.Empty((await StateAsync("u4")).Flows);
        await host.SayAsync("u4", "キャンセル");
        Assert.Contains("中止する手続きはありません", Last("u4"));
    }

    [Fact]
    public async Task The_menu_interrupts_the_flow_and_the_flow_resumes_where_it_was()
    {
        await host.PressAsync("u5", Commands.StartFlow, IntakeFlow.FlowName);
        await host.PressAsync("u5", Commands.Answer, "relocation");
        await host.SayAsync("u5", "メニュー");

        var replies = host.Sender.RepliesTo("u5");
        Assert.Contains(replies[^3].Cards, c => c.Title == "メニュー");
        Assert.Contains("途中です", replies[^2].Text);
        Assert.Contains("（2/4）", replies[^1].Text);

        await host.SayAsync("u5", "2");
        Assert.Contains("（3/4）", Last("u5"));
        Assert.Equal("2", (await StateAsync("u5")).ActiveFlow?.Values["household"]);
    }

    [Fact]
    public async Task Not_sure_is_an_answer_only_where_the_question_allows_it_and_never_a_household_size()
    {
        await host.PressAsync("u-not-sure", Commands.StartFlow, IntakeFlow.FlowName);
        await host.PressAsync("u-not-sure", Commands.Answer, "relocation");
        await host.SayAsync("u-not-sure", "わからない");
        Assert.Contains("「わからない」では進めません", host.Sender.TextsTo("u-not-sure")[^2]);
        Assert.Contains("（2/4）", Last("u-not-sure"));
        await host.SayAsync("u-not-sure", "2");
        await host.SayAsync("u-not-sure", "未定");
        Assert.Contains("（4/4）", Last("u-not-sure"));
        Assert.Equal(FormFlow.UnknownValue, (await StateAsync("u-not-sure")).ActiveFlow?.Values["timing"]);
    }

    [Fact]
    public async Task Back_returns_to_the_previous_question_and_the_answer_can_be_changed()
    {
        await host.PressAsync("u7", Commands.StartFlow, IntakeFlow.FlowName);
        await host.PressAsync("u7", Commands.Answer, "relocation");
        await host.SayAsync("u7", "戻る");
        Assert.Contains("（1/4）", Last("u7"));
        await host.PressAsync("u7", Commands.Answer, "dual");
        Assert.Equal("dual", (await StateAsync("u7")).ActiveFlow?.Values["interest"]);
    }

    [Fact]
    public async Task An_answer_can_be_edited_from_the_summary_before_submitting()
    {
        await host.PressAsync("u8", Commands.StartFlow, IntakeFlow.FlowName);
        await host.PressAsync("u8", Commands.Answer, "relocation");
        await host.SayAsync("u8", "2");
        await host.PressAsync("u8", Commands.Answer, "within1y");
        await host.SayAsync("u8", "わからない");
        await host.SayAsync("u8", "修正する");
        Assert.Contains("どの項目を直しますか", Last("u8"));
        await host.SayAsync("u8", "世帯の人数");
        Assert.Contains("（2/4）", Last("u8"));
        await host.SayAsync("u8", "4人");
        Assert.Contains("・世帯の人数: 4", Last("u8"));
        await host.SayAsync("u8", "はい");
        Assert.Equal("4", (await StateAsync("u8")).Profile["intake.household"]);
    }

    [Fact]
    public async Task An_unfinished_flow_survives_a_restart_and_continues()
    {
        await host.PressAsync("u9", Commands.StartFlow, IntakeFlow.FlowName);
        await host.PressAsync("u9", Commands.Answer, "undecided");
        await host.DisposeAsync();
        host = await BotHost.StartAsync(db.ConnectionString);

        await host.SayAsync("u9", "5");
        Assert.Contains("（3/4）", Last("u9"));
    }

    [Fact]
    public async Task English_speakers_are_answered_in_English()
    {
        await host.SayAsync("u10", "English");
        await host.PressAsync("u10", Commands.StartFlow, IntakeFlow.FlowName);
        Assert.Contains("(1/4) What kind of move", Last("u10"));
        await host.SayAsync("u10", "Living in two places");
        Assert.Contains("(2/4)", Last("u10"));
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("３人", 3)]
    [InlineData("十二", 12)]
    [InlineData("七名", 7)]
    [InlineData("2 people", 2)]
    [InlineData("three", null)]
    [InlineData("", null)]
    public void Household_sizes_are_read_from_digits_and_kanji(string input, int? expected) =>
        Assert.Equal(expected, IntakeFlow.ReadSmallNumber(input));
}
