using System.Text.Json;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Guidance;
using FrontDesk.Bot.Handoff;
using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Flows.Guidance;

public sealed class SchoolGuideFlowTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    BotHost host = null!;

    public async Task InitializeAsync() => host = await BotHost.StartAsync(db.ConnectionString);
    public async Task DisposeAsync() => await host.DisposeAsync();

    static string NewUser() => "s-" + Guid.NewGuid().ToString("N")[..8];
    string Last(string user) => host.Sender.TextsTo(user)[^1];
    Activity LastReply(string user) => host.Sender.RepliesTo(user)[^1];

    async Task<ConversationState> StateAsync(string user)
    {
        var json = await db.ScalarAsync<string>("select state::text from conversation.conversations where key = @k", ("k", "test:" + user));
        return JsonSerializer.Deserialize<ConversationState>(json!, ConversationEngine.Json)!;
    }

    /// <summary>Answers up to the summary: 小3, 23区, 美波町, 1〜4週間, 行き来, 住民票そのまま, 二地域居住.</summary>
    async Task AnswerAllAsync(string user)
    {
        await host.PressAsync(user, Commands.StartFlow, SchoolGuideFlow.FlowName);
        await host.SayAsync(user, "小3");
        await host.PressAsync(user, Commands.Answer, "tokyo23");
        await host.SayAsync(user, "美波町");
        await host.PressAsync(user, Commands.Answer, "w4");
        await host.PressAsync(user, Commands.Answer, "repeated");
        await host.PressAsync(user, Commands.Answer, "yes");
        await host.PressAsync(user, Commands.Answer, "dual");
    }

    [Fact]
    public async Task A_parent_answers_seven_questions_and_gets_the_schemes_that_may_fit_with_steps_contacts_and_sources()
    {
        var user = NewUser();
        await AnswerAllAsync(user);
        Assert.Contains("この内容でよろしいですか", Last(user));
        Assert.Contains("・お子さんの学年・年齢: 小学3年生", Last(user));
        Assert.Contains("・移住先・滞在先: 美波町（徳島県）", Last(user));
        await host.SayAsync(user, "はい");

        var reply = LastReply(user);
        Assert.Contains("当てはまりそうな制度", reply.Text);
        Assert.Contains("2026年度", reply.Text);
        Assert.Contains("最終的に判断します", reply.Text);
        Assert.Equal(["区域外就学", "体験入学", "デュアルスクール（徳島県）"], reply.Cards.Select(c => c.Title));
        Assert.All(reply.Cards, c => Assert.Equal("当てはまりそう", c.Subtitle));
        var dual = reply.Cards.Single(c => c.Title.StartsWith("デュアルスクール", StringComparison.Ordinal));
        Assert.Contains("✓ 徳島県内の市町で行われている取組です。", dual.Text);
        Assert.Contains("【確認先】\n美波町教育委員会", dual.Text);
        Assert.Contains("【出典】\n・徳島県教育委員会 デュアルスクール（令和6年度の案内）（2024年4月1日時点）", dual.Text);
        Assert.Contains(dual.Buttons, b => b.Kind == CardActionKind.OpenUrl && b.Value.StartsWith("https://www.pref.tokushima.lg.jp/", StringComparison.Ordinal));
        Assert.Contains("指定学校変更（就学校の変更）（移住先に住民票を移し", reply.Text);
        Assert.Contains(reply.SuggestedActions, a => a.Value == GuidanceHandoff.CommandName && a.Title == "相談員に相談する");

        var state = await StateAsync(user);
        Assert.Empty(state.Flows);
        Assert.Equal("区域外就学、体験入学、デュアルスクール（徳島県）", state.Profile["guide.school.likely"]);
        Assert.Equal("小学3年生", state.Profile["guide.school.answer.お子さんの学年・年齢"]);
    }

    [Fact]
    public async Task Not_sure_answers_turn_into_schemes_to_check_and_the_answer_says_what_is_unknown()
    {
        var user = NewUser();
        await host.PressAsync(user, Commands.StartFlow, SchoolGuideFlow.FlowName);
        await host.SayAsync(user, "中1");
        for (var i = 0; i < 6; i++)
        {
            await host.SayAsync(user, "わからない");
            Assert.DoesNotContain("選択肢からお選びください", host.Sender.TextsTo(user)[^1]);
        }
        Assert.Contains("・住民票: わからない", Last(user));
        await host.PressAsync(user, Commands.Answer, "_yes");

        var reply = LastReply(user);
        Assert.DoesNotContain(reply.Cards, c => c.Subtitle == "当てはまりそう");
        Assert.Contains(reply.Cards, c => c.Title == "区域外就学" && c.Subtitle == "確認が必要" && c.Text!.Contains("？ 住民票を移さずに", StringComparison.Ordinal));
        Assert.Contains("登録のある市町村: 厚沢部町、門川町、美波町、湯梨浜町", reply.Text);
    }

    [Fact]
    public async Task Back_returns_to_the_previous_question_and_the_changed_answer_is_used()
    {
        var user = NewUser();
        await host.PressAsync(user, Commands.StartFlow, SchoolGuideFlow.FlowName);
        await host.SayAsync(user, "5歳");
        await host.PressAsync(user, Commands.Answer, "tokyo23");
        await host.SayAsync(user, "戻る");
        Assert.Contains("（2/7）", Last(user));
        await host.SayAsync(user, "戻る");
        Assert.Contains("（1/7）", Last(user));
        await host.SayAsync(user, "年長");
        Assert.Equal("年長", (await StateAsync(user)).ActiveFlow!.Values["child"]);
    }

    [Fact]
    public async Task An_answer_is_changed_from_the_summary_and_the_result_follows_it()
    {
        var user = NewUser();
        await AnswerAllAsync(user);
        await host.SayAsync(user, "修正する");
        await host.SayAsync(user, "移住先・滞在先");
        Assert.Contains("（3/7）", Last(user));
        await host.PressAsync(user, Commands.Answer, "yurihama");
        Assert.Contains("・移住先・滞在先: 湯梨浜町（鳥取県）", Last(user));
        await host.SayAsync(user, "はい");

        var reply = LastReply(user);
        Assert.Equal(["区域外就学", "体験入学"], reply.Cards.Select(c => c.Title));
        Assert.Contains("6月1日から9月30日まで", reply.Cards[1].Text);
        Assert.Contains("デュアルスクール（徳島県）（徳島県内の市町で行われている取組です）", reply.Text);
    }

    [Theory]
    [InlineData("25歳", "0〜18歳でお答えください")]
    [InlineData("-3歳", "0〜18歳でお答えください")]
    [InlineData("小8", "小学校は1〜6年生です")]
    [InlineData("中学4年", "中学校は1〜3年生です")]
    [InlineData("たぶん大きい", "「小3」「中1」「5歳」のように")]
    public async Task An_age_or_grade_out_of_range_is_asked_again_with_the_reason(string answer, string reason)
    {
        var user = NewUser();
        await host.PressAsync(user, Commands.StartFlow, SchoolGuideFlow.FlowName);
        await host.SayAsync(user, answer);
        var texts = host.Sender.TextsTo(user);
        Assert.Contains(reason, texts[^2]);
        Assert.Contains("（1/7）", texts[^1]);
        Assert.Equal("child", (await StateAsync(user)).ActiveFlow!.Step);
    }

    [Fact]
    public async Task An_unknown_municipality_is_asked_again_and_nothing_is_assumed_about_it()
    {
        var user = NewUser();
        await host.PressAsync(user, Commands.StartFlow, SchoolGuideFlow.FlowName);
        await host.SayAsync(user, "小5");
        await host.PressAsync(user, Commands.Answer, "tokyo_area");
        await host.SayAsync(user, "札幌市");
        var texts = host.Sender.TextsTo(user);
        Assert.Contains("「札幌市」の情報は、まだこの案内に登録されていません", texts[^2]);
        Assert.Contains("（3/7）", texts[^1]);
        await host.SayAsync(user, "徳島県美波町");
        Assert.Equal("minami", (await StateAsync(user)).ActiveFlow!.Values["destination"]);
    }

    [Fact]
    public async Task A_hostile_place_name_is_quoted_back_without_its_markup()
    {
        var user = NewUser();
        await host.PressAsync(user, Commands.StartFlow, SchoolGuideFlow.FlowName);
        await host.SayAsync(user, "小5");
        await host.PressAsync(user, Commands.Answer, "tokyo23");
        await host.SayAsync(user, "[ここを押す](javascript:alert(1))<script>x</script>");
        var reply = host.Sender.TextsTo(user)[^2];
        Assert.Contains("「ここを押すjavascriptalert」の情報は", reply);
        Assert.DoesNotContain("<script>", reply);
        Assert.Equal("destination", (await StateAsync(user)).ActiveFlow!.Step);
    }

    [Fact]
    public async Task Contradictory_answers_get_a_clear_question_back()
    {
        var user = NewUser();
        await host.PressAsync(user, Commands.StartFlow, SchoolGuideFlow.FlowName);
        await host.SayAsync(user, "小2");
        await host.PressAsync(user, Commands.Answer, "other");
        await host.PressAsync(user, Commands.Answer, "assabu");
        await host.PressAsync(user, Commands.Answer, "m3");
        await host.PressAsync(user, Commands.Answer, "once");
        await host.PressAsync(user, Commands.Answer, "yes");
        await host.SayAsync(user, "移住");

        var texts = host.Sender.TextsTo(user);
        Assert.Contains("「移住」と「住民票は今の住所のまま」の両方が選ばれています", texts[^2]);
        Assert.Contains("（7/7）", texts[^1]);
        Assert.False((await StateAsync(user)).ActiveFlow!.Values.ContainsKey("purpose"));
        await host.SayAsync(user, "戻る");
        await host.PressAsync(user, Commands.Answer, "no");
        await host.SayAsync(user, "移住");
        Assert.Contains("この内容でよろしいですか", Last(user));
    }

    [Fact]
    public async Task A_coordinator_is_offered_and_gets_the_answers_as_an_attachment()
    {
        var user = NewUser();
        await AnswerAllAsync(user);
        await host.SayAsync(user, "はい");
        await host.PressAsync(user, GuidanceHandoff.CommandName, "school");

        Assert.Contains("相談員におつなぎします", Last(user));
        var handoff = (await StateAsync(user)).Handoff!;
        Assert.Equal(HandoffStatus.Waiting, handoff.Status);
        var attachment = Assert.Single(handoff.Attachments);
        Assert.Equal("学校・保育の案内の回答", attachment.Title);
        Assert.Contains(attachment.Facts, f => f.Label == "移住先・滞在先" && f.Value == "美波町（徳島県）");
        Assert.Contains(attachment.Facts, f => f.Label == "当てはまりそう" && f.Value.Contains("デュアルスクール", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_school_tile_offers_the_guide_and_keeps_its_example_questions()
    {
        var user = NewUser();
        await host.PressAsync(user, Commands.Topic, "school");
        var reply = LastReply(user);
        Assert.Contains("お子さんの学校や保育", reply.Text);
        Assert.Equal(SchoolGuideFlow.FlowName, reply.SuggestedActions[0].CommandArgument);
        Assert.Contains(reply.SuggestedActions, a => a.Title == "区域外就学とは何ですか？");
        await host.PressAsync(user, reply.SuggestedActions[0].Value, reply.SuggestedActions[0].CommandArgument);
        Assert.Contains("（1/7）お子さんの学年か年齢", Last(user));
    }

    [Fact]
    public async Task English_speakers_get_the_guide_and_the_answer_in_English()
    {
        var user = NewUser();
        await host.SayAsync(user, "English");
        await host.PressAsync(user, Commands.StartFlow, SchoolGuideFlow.FlowName);
        Assert.Contains("(1/7) What is your child's grade", Last(user));
        await host.SayAsync(user, "grade 4");
        await host.SayAsync(user, "Tokyo's 23 wards");
        await host.PressAsync(user, Commands.Answer, "minami");
        for (var i = 0; i < 4; i++)
            await host.SayAsync(user, "not sure");
        await host.SayAsync(user, "yes");
        var reply = LastReply(user);
        Assert.Contains("the board of education or the programme office makes the final decision", reply.Text);
        Assert.Contains(reply.Cards, c => c.Title == "Schooling outside your home district (区域外就学)" && c.Text!.Contains("(as of 2017-07-26)", StringComparison.Ordinal));
    }
}
