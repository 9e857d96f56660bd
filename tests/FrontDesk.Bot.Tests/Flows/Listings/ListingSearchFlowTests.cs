using System.Text.Json;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Listings;
using FrontDesk.Knowledge.Listings;
using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Flows.Listings;

public sealed class ListingSearchFlowTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    BotHost host = null!;

    public async Task InitializeAsync()
    {
        host = await BotHost.StartAsync(db.ConnectionString);
        if (await db.ScalarAsync<long>("select count(*) from listings.listings") == 0)
            await ListingSamples.ImportAsync(host.Services);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    static string NewUser() => "l-" + Guid.NewGuid().ToString("N")[..8];
    Activity Last(string user) => host.Sender.RepliesTo(user)[^1];

    /// <summary>Presses the suggested button with this title under the last reply.</summary>
    Task PressAsync(string user, string title)
    {
        var button = Last(user).SuggestedActions.Single(a => a.Title == title);
        return host.PressAsync(user, button.Value, button.CommandArgument);
    }

    /// <summary>"月4.5万円" or "月5,000円" back to yen.</summary>
    static decimal Yen(string subtitle)
    {
        var s = subtitle.TrimStart('月').Replace(",", "");
        return s.EndsWith("万円", StringComparison.Ordinal)
            ? decimal.Parse(s[..^2], System.Globalization.CultureInfo.InvariantCulture) * 10_000
            : decimal.Parse(s.TrimEnd('円'), System.Globalization.CultureInfo.InvariantCulture);
    }

    async Task<ConversationState> StateAsync(string user)
    {
        var json = await db.ScalarAsync<string>("select state::text from conversation.conversations where key = @k", ("k", "test:" + user));
        return JsonSerializer.Deserialize<ConversationState>(json!, ConversationEngine.Json)!;
    }

    [Fact]
    public async Task A_typed_request_shows_what_was_understood_and_a_carousel_of_matching_listings()
    {
        var user = NewUser();
        await host.SayAsync(user, "長野で月5万円以下の賃貸");

        var reply = Last(user);
        Assert.StartsWith("条件: 長野県・賃貸・月5万円以下（", reply.Text);
        Assert.Equal(CardLayout.Carousel, reply.Layout);
        Assert.NotEmpty(reply.Cards);
        Assert.All(reply.Cards, c =>
        {
            Assert.Contains("長野県", c.Title);
            Assert.Contains("賃貸", c.Title);
            Assert.StartsWith("月", c.Subtitle);
            Assert.Contains(c.Facts, f => f.Label == "情報時点");
            Assert.Contains(c.Facts, f => f.Label == "状況");
            Assert.Contains(c.Buttons, b => b.Title == "この物件について相談する");
        });
        Assert.All(reply.Cards.Select(c => Yen(c.Subtitle!)), yen => Assert.InRange(yen, 1, 50_000));
        Assert.Equal(ListingSearchFlow.FlowName, (await StateAsync(user)).ActiveFlow?.Flow);
    }

    [Fact]
    public async Task Listings_from_the_LINKS_data_carry_the_CC_BY_attribution_on_their_cards()
    {
        var user = NewUser();
        await host.SayAsync(user, "松本市の家");
        var cards = Last(user).Cards;
        var links = cards.Where(c => c.Text?.Contains("Project LINKS") == true).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, c => Assert.Contains("CC BY 4.0", c.Text));
    }

    [Fact]
    public async Task Refinements_narrow_the_search_and_reset_clears_it()
    {
        var user = NewUser();
        await host.SayAsync(user, "長野の家");
        var all = Last(user);
        Assert.StartsWith("条件: 長野県・住宅（", all.Text);

        await PressAsync(user, "賃貸だけ");
        Assert.StartsWith("条件: 長野県・賃貸・住宅（", Last(user).Text);
        Assert.All(Last(user).Cards, c => Assert.Contains("賃貸", c.Title));

        await host.SayAsync(user, "月5万円まで");
        Assert.StartsWith("条件: 長野県・賃貸・住宅・月5万円以下（", Last(user).Text);
        await PressAsync(user, "もっと安く");
        Assert.StartsWith("条件: 長野県・賃貸・住宅・月4万円以下（", Last(user).Text);

        await host.SayAsync(user, "松本市で");
        Assert.StartsWith("条件: 長野県松本市・賃貸・住宅・月4万円以下", Last(user).Text);

        await host.SayAsync(user, "条件をリセット");
        var texts = host.Sender.TextsTo(user);
        Assert.Contains("条件をリセットしました", texts[^2]);
        Assert.Contains("自由に入力してください", texts[^1]);
        Assert.False((await StateAsync(user)).ActiveFlow!.Values.ContainsKey("filter"));
    }

    [Fact]
    public async Task More_shows_the_next_page_and_says_when_everything_was_shown()
    {
        var user = NewUser();
        await host.SayAsync(user, "長野県の物件を見せて");
        var first = Last(user);
        Assert.Equal(ListingSearchFlow.PageSize, first.Cards.Count);
        Assert.Contains("1〜10件目", first.Text);
        Assert.Contains(first.SuggestedActions, a => a.Title == "もっと見る");

        var seen = first.Cards.Select(c => c.Buttons[0].CommandArgument).ToList();
        for (var pages = 1; Last(user).SuggestedActions.Any(a => a.Title == "もっと見る") && pages < 10; pages++)
        {
            await PressAsync(user, "もっと見る");
            Assert.Contains($"{pages * ListingSearchFlow.PageSize + 1}〜", Last(user).Text);
            seen.AddRange(Last(user).Cards.Select(c => c.Buttons[0].CommandArgument));
        }
        var total = await db.ScalarAsync<long>("select count(*) from listings.listings where prefecture = '長野県' and status <> 'closed'");
        Assert.Equal(total, seen.Distinct().Count());
        Assert.Equal(total, seen.Count);

        await host.SayAsync(user, "もっと見る");
        Assert.Contains($"全{total}件をすべてご覧いただきました", Last(user).Text);
    }

    [Fact]
    public async Task A_request_without_a_place_is_asked_back_with_the_prefectures_that_have_listings()
    {
        var user = NewUser();
        await host.SayAsync(user, "畑付きの家");
        var ask = Last(user);
        Assert.Contains("どの地域で探しますか", ask.Text);
        Assert.Contains(ask.SuggestedActions, a => a.Title == "長野県");
        Assert.Contains(ask.SuggestedActions, a => a.Title == "場所はこだわらない");

        await host.PressAsync(user, Commands.Answer, "長野県");
        var result = Last(user);
        Assert.StartsWith("条件: 長野県・住宅・畑・農地付き（", result.Text);
        Assert.NotEmpty(result.Cards);
    }

    [Theory]
    [InlineData("上九一色村で賃貸", "「上九一色村」は、この検索で使える地名に見つかりませんでした")]
    [InlineData("伊達市の空き家を探したい", "「伊達市」は北海道と福島県にあります")]
    [InlineData("0円の家", "0円の物件はお探しできません")]
    [InlineData("予算100億円で古民家", "「100億円」は予算として現実的でないようです")]
    [InlineData("賃貸で購入できる家", "賃貸と購入の両方が含まれていました")]
    public async Task Unknown_places_absurd_budgets_and_contradictions_get_a_clear_question_not_an_empty_carousel(string request, string question)
    {
        var user = NewUser();
        await host.SayAsync(user, request);
        var reply = Last(user);
        Assert.Contains(question, reply.Text);
        Assert.Empty(reply.Cards);
    }

    [Fact]
    public async Task An_ambiguous_place_is_settled_by_a_button()
    {
        var user = NewUser();
        await host.SayAsync(user, "伊達市の空き家を探したい");
        var choice = Last(user).SuggestedActions.Single(a => a.Title == "福島県伊達市");
        await host.PressAsync(user, choice.Value, choice.CommandArgument);
        Assert.Contains("条件: 福島県伊達市", Last(user).Text);
        Assert.Contains("いま掲載されていません", Last(user).Text);
    }

    [Fact]
    public async Task No_match_is_explained_with_the_conditions_and_ways_to_go_on()
    {
        var user = NewUser();
        await host.SayAsync(user, "沖縄で5LDK以上の賃貸");
        var reply = Last(user);
        Assert.Contains("条件: 沖縄県・賃貸・住宅・5部屋以上", reply.Text);
        Assert.Contains("いま掲載されていません", reply.Text);
        Assert.Empty(reply.Cards);
        Assert.Contains(reply.SuggestedActions, a => a.Title == "条件をリセット");
    }

    [Fact]
    public async Task General_questions_about_the_bank_still_go_to_the_knowledge_base()
    {
        var user = NewUser();
        await host.SayAsync(user, "空き家バンクとは？");
        Assert.Null((await StateAsync(user)).ActiveFlow);
        Assert.DoesNotContain("条件:", Last(user).Text ?? "");

        // A question in the middle of a search is answered (here: declined, no articles are loaded) and the search
        // offers to go on with its conditions.
        await host.SayAsync(user, "長野で月5万円以下の賃貸");
        await host.SayAsync(user, "空き家バンクの仕組みを教えて");
        Assert.Equal(ListingSearchFlow.FlowName, (await StateAsync(user)).ActiveFlow?.Flow);
        Assert.Contains(host.Sender.TextsTo(user), t => t.Contains("物件検索を続けられます（条件: 長野県・賃貸・月5万円以下）"));
    }

    [Fact]
    public async Task A_question_about_the_open_house_is_answered_from_its_fields_and_the_search_keeps_its_conditions()
    {
        var user = NewUser();
        await host.SayAsync(user, "長野で月5万円以下の賃貸");
        var id = await db.ScalarAsync<long>("select id from listings.listings where source_id = 'SYN-L-0001'");
        await host.PressAsync(user, ListingCards.Command, $"detail:{id}");

        await host.SayAsync(user, "この家はペット飼える？");
        var pets = Last(user);
        Assert.Contains("長野県松本市の住宅（売買）の掲載情報には、ペットについての記載がありません", pets.Text);
        Assert.Contains("相談員におつなぎします", pets.Text);
        Assert.Contains(pets.SuggestedActions, a => a.CommandArgument == $"consult:{id}");

        await host.SayAsync(user, "駐車場はありますか？");
        Assert.Contains("掲載情報では駐車場ありです", Last(user).Text);
        await host.SayAsync(user, "築何年ですか");
        Assert.Contains("1978年築", Last(user).Text);
        await host.SayAsync(user, "見学できますか？");
        Assert.Contains("見学のご希望は、相談員が掲載元の自治体と調整します", Last(user).Text);

        var state = await StateAsync(user);
        Assert.Equal(ListingSearchFlow.FlowName, state.ActiveFlow?.Flow);
        Assert.Contains("月5万円以下", ListingFilterOf(state));

        // New conditions are a new search, not a question about the open house.
        await host.SayAsync(user, "駐車場ありで探したい");
        Assert.StartsWith("条件:", Last(user).Text);
    }

    static string ListingFilterOf(ConversationState state) =>
        JsonSerializer.Deserialize<ListingFilter>(state.ActiveFlow!.Values["filter"], ListingFilter.Json)!.Describe("ja");

    [Fact]
    public async Task The_detail_view_shows_every_fact_the_source_link_and_the_attribution()
    {
        var user = NewUser();
        var id = await db.ScalarAsync<long>("select id from listings.listings where source_id = 'SYN-L-0001'");
        await host.PressAsync(user, ListingCards.Command, $"detail:{id}");
        var card = Last(user).Cards.Single();
        Assert.Equal("長野県松本市の住宅（売買）", card.Title);
        Assert.Equal("380万円", card.Subtitle);
        Assert.Contains("薪ストーブ", card.Text);
        Assert.Contains("Project LINKS", card.Text);
        foreach (var label in new[] { "所在地", "間取り", "面積", "築年", "構造", "交通", "状況", "情報時点" })
            Assert.Contains(card.Facts, f => f.Label == label);
        Assert.Contains(card.Facts, f => f.Value == "建物132.5㎡・土地410.2㎡");
        Assert.Contains(card.Facts, f => f.Value == "JR篠ノ井線 南松本駅 徒歩12分");
    }

    [Fact]
    public async Task Asking_about_a_listing_hands_the_conversation_to_a_coordinator_with_the_listing_attached()
    {
        var user = NewUser();
        await host.SayAsync(user, "長野で月5万円以下の賃貸");
        var ask = Last(user).Cards[0].Buttons.Single(b => b.Title == "この物件について相談する");
        await host.PressAsync(user, ask.Value, ask.CommandArgument);

        Assert.Contains("相談員", Last(user).Text);
        var state = await StateAsync(user);
        Assert.NotNull(state.Handoff);
        Assert.Equal("listing", state.Handoff!.Reason);
        var attachment = Assert.Single(state.Handoff.Attachments);
        Assert.Equal("listing", attachment.Kind);
        Assert.Contains("長野県", attachment.Title);
        Assert.Contains(attachment.Facts, f => f.Label == "価格・賃料" && f.Value.StartsWith("月", StringComparison.Ordinal));
        Assert.Contains(attachment.Facts, f => f.Label == "物件番号");
        Assert.Null(state.ActiveFlow);
    }

    [Fact]
    public async Task A_stale_or_forged_listing_button_gets_a_clear_reply()
    {
        var user = NewUser();
        await host.PressAsync(user, ListingCards.Command, "detail:999999999");
        Assert.Contains("見つかりませんでした", Last(user).Text);
        await host.PressAsync(user, ListingCards.Command, "consult:'; drop table x");
        Assert.Contains("このボタンは使えなくなりました", Last(user).Text);
        Assert.Null((await StateAsync(user)).Handoff);
    }

    [Fact]
    public async Task The_akiya_tile_offers_the_search_and_its_example_starts_it()
    {
        var user = NewUser();
        await host.PressAsync(user, Commands.Topic, "akiya");
        var tile = Last(user);
        var search = tile.SuggestedActions.First(a => a.Title == "空き家バンクの物件を探したい");
        await host.SayAsync(user, search.Value);
        Assert.Contains("どの地域で探しますか", Last(user).Text);
        Assert.Equal(ListingSearchFlow.FlowName, (await StateAsync(user)).ActiveFlow?.Flow);
    }

    [Fact]
    public async Task English_requests_get_English_conditions_and_cards()
    {
        var user = NewUser();
        await host.SayAsync(user, "rent a house in Nagano under 50,000 yen");
        var reply = Last(user);
        Assert.StartsWith("Conditions: 長野県, to rent, house, rent up to ¥50,000 a month", reply.Text);
        Assert.All(reply.Cards, c => Assert.EndsWith("a month", c.Subtitle));
    }
}
