using System.Text.Json;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Guidance;
using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Flows.Guidance;

public sealed class SupportFinderFlowTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    BotHost host = null!;

    public async Task InitializeAsync()
    {
        host = await BotHost.StartAsync(db.ConnectionString);
        await KnowledgeContent.LoadAsync(host.Services, KnowledgeContent.ArticlesFolder);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    static string NewUser() => "p-" + Guid.NewGuid().ToString("N")[..8];
    string Last(string user) => host.Sender.TextsTo(user)[^1];
    Activity LastReply(string user) => host.Sender.RepliesTo(user)[^1];

    async Task<ConversationState> StateAsync(string user)
    {
        var json = await db.ScalarAsync<string>("select state::text from conversation.conversations where key = @k", ("k", "test:" + user));
        return JsonSerializer.Deserialize<ConversationState>(json!, ConversationEngine.Json)!;
    }

    async Task StartAsync(string user, string area = "tokyo23", string commute = "tokyo23", string total = "7", string recent = "3")
    {
        await host.PressAsync(user, Commands.StartFlow, SupportFinderFlow.FlowName);
        await host.PressAsync(user, Commands.Answer, area);
        await host.PressAsync(user, Commands.Answer, commute);
        await host.SayAsync(user, total);
        await host.SayAsync(user, recent);
    }

    [Fact]
    public async Task A_household_moving_from_the_23_wards_sees_the_relocation_grant_with_amounts_for_the_fiscal_year()
    {
        var user = NewUser();
        await StartAsync(user, total: "7年", recent: "３");
        await host.PressAsync(user, Commands.Answer, "matching_job");
        await host.PressAsync(user, Commands.Answer, "minami");
        await host.SayAsync(user, "2人");
        await host.PressAsync(user, Commands.Answer, "relocation");
        Assert.Contains("・18歳未満のお子さんの人数: 2", Last(user));
        await host.SayAsync(user, "はい");

        var reply = LastReply(user);
        Assert.Equal(["移住支援金", "お試し住宅（美波町・説明用の例）"], reply.Cards.Select(c => c.Title));
        var grant = reply.Cards[0].Text!;
        Assert.Contains("【金額（2026年度）】\n・世帯での移住（上限）: 1,000,000円", grant);
        Assert.Contains("子育て加算・18歳未満の子ども1人あたり（上限）: 1,000,000円", grant);
        Assert.Contains("・内閣府 地方創生「移住支援金」（2026年6月1日時点）", grant);
        Assert.Contains(reply.Cards[0].Buttons, b => b.Value == "https://www.chisou.go.jp/sousei/ijyu_shienkin.html");
        Assert.Contains("※ 期間と料金は説明用の例です", reply.Cards[1].Text);
        Assert.Contains("テレワーク・ワーケーション滞在の補助（美波町・説明用の例）（今の仕事をテレワークで続ける人が対象です）", reply.Text);
        Assert.DoesNotContain("もらえます", reply.Text + grant);
    }

    [Fact]
    public async Task A_town_with_only_last_years_amounts_says_which_fiscal_year_they_are_for()
    {
        var user = NewUser();
        await StartAsync(user);
        await host.PressAsync(user, Commands.Answer, "telework");
        await host.SayAsync(user, "門川町");
        await host.SayAsync(user, "0");
        await host.PressAsync(user, Commands.Answer, "relocation");
        await host.SayAsync(user, "はい");

        var grant = LastReply(user).Cards.Single(c => c.Title == "移住支援金").Text!;
        Assert.Contains("【金額（2025年度の額。2026年度の額は未確認）】", grant);
        Assert.Contains("単身での移住（上限）: 300,000円", grant);
    }

    [Theory]
    [InlineData("12", "0〜10でお答えください")]
    [InlineData("たくさん", "数字でお答えください")]
    public async Task Years_out_of_range_are_asked_again(string answer, string reason)
    {
        var user = NewUser();
        await host.PressAsync(user, Commands.StartFlow, SupportFinderFlow.FlowName);
        await host.PressAsync(user, Commands.Answer, "tokyo23");
        await host.PressAsync(user, Commands.Answer, "tokyo23");
        await host.SayAsync(user, answer);
        var texts = host.Sender.TextsTo(user);
        Assert.Contains(reason, texts[^2]);
        Assert.Contains("（3/8）", texts[^1]);
    }

    [Fact]
    public async Task More_recent_years_than_years_in_total_is_questioned_and_can_be_fixed_by_going_back()
    {
        var user = NewUser();
        await StartAsync(user, total: "2", recent: "5");
        var texts = host.Sender.TextsTo(user);
        Assert.Contains("続けている年数（5年）が、合計の年数（2年）より長くなっています", texts[^2]);
        Assert.Contains("（4/8）", texts[^1]);
        await host.SayAsync(user, "戻る");
        await host.SayAsync(user, "6");
        await host.SayAsync(user, "5");
        Assert.Contains("（5/8）", Last(user));
        var values = (await StateAsync(user)).ActiveFlow!.Values;
        Assert.Equal(("6", "5"), (values["years_tokyo_total"], values["years_tokyo_recent"]));
    }

    [Fact]
    public async Task Typed_places_are_read_by_the_longest_phrase()
    {
        var user = NewUser();
        await host.PressAsync(user, Commands.StartFlow, SupportFinderFlow.FlowName);
        await host.SayAsync(user, "23区以外の東京都です");
        await host.SayAsync(user, "23区へ通勤しています");
        var values = (await StateAsync(user)).ActiveFlow!.Values;
        Assert.Equal(("tokyo_area", "tokyo23"), (values["current_area"], values["commute"]));
    }

    [Fact]
    public async Task A_free_question_about_the_grant_is_answered_from_the_knowledge_base_with_the_offer_to_start_the_finder()
    {
        var user = NewUser();
        await host.SayAsync(user, "移住支援金は世帯でいくらもらえますか？");
        var reply = LastReply(user);
        Assert.Contains("100万円", reply.Text);
        Assert.Contains(reply.Cards, c => c.Title == "出典");
        Assert.Contains(reply.SuggestedActions, a => a.Title == "支援制度をさがす" && a.CommandArgument == SupportFinderFlow.FlowName);

        var parent = NewUser();
        await host.SayAsync(parent, "区域外就学とは何ですか？");
        var schoolReply = LastReply(parent);
        Assert.Contains(schoolReply.Cards, c => c.Title == "出典");
        var offer = Assert.Single(schoolReply.SuggestedActions, a => a.CommandArgument == SchoolGuideFlow.FlowName);
        Assert.Equal("学校・保育の案内を始める", offer.Title);
        await host.PressAsync(parent, offer.Value, offer.CommandArgument);
        Assert.Contains("（1/7）", Last(parent));
    }

    [Fact]
    public async Task A_typed_guide_name_starts_the_guide_while_questions_on_the_topic_still_get_knowledge_answers()
    {
        var user = NewUser();
        await host.SayAsync(user, "支援制度をさがしたい");
        Assert.Contains("（1/8）今お住まいの地域", Last(user));
        await host.SayAsync(user, "やめる");
        await host.SayAsync(user, "学校・保育の案内");
        Assert.Contains("（1/7）", Last(user));

        var other = NewUser();
        await host.SayAsync(other, "お試し住宅の支援制度はありますか？");
        Assert.DoesNotContain("（1/8）", Last(other));
        Assert.Contains(LastReply(other).SuggestedActions, a => a.CommandArgument == SupportFinderFlow.FlowName);
    }

    [Fact]
    public async Task The_support_tile_offers_the_finder_first()
    {
        var user = NewUser();
        await host.PressAsync(user, Commands.Topic, "support");
        var reply = LastReply(user);
        Assert.Equal(("支援制度をさがす", SupportFinderFlow.FlowName), (reply.SuggestedActions[0].Title, reply.SuggestedActions[0].CommandArgument));
        Assert.Contains(reply.SuggestedActions, a => a.Title == "移住支援金はいくらもらえますか？");
    }
}
