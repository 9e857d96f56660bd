using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Listings;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FrontDesk.Bot.Tests.Flows;

/// <summary>Small talk and the office's own facts are answered as a front desk would, never with an article.</summary>
public sealed class SmallTalkTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    // Tuesday 2026-11-24, 10:00 in Tokyo: the office is open.
    readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero));
    BotHost host = null!;

    static readonly Dictionary<string, string?> Office = new()
    {
        ["Office:Name"] = "みどり県 東京移住相談センター",
        ["Office:NameEn"] = "Midori Prefecture Tokyo Relocation Center",
        ["Office:Address"] = "東京都千代田区丸の内9-9-9 テストビル3階",
        ["Office:Access"] = "東京駅から徒歩3分",
        ["Office:Phone"] = "03-1111-2222",
    };

    public async Task InitializeAsync()
    {
        host = await BotHost.StartAsync(db.ConnectionString, settings: Office, services: s => s.AddSingleton<TimeProvider>(clock));
        await KnowledgeContent.LoadAsync(host.Services, KnowledgeContent.ArticlesFolder);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    static string NewUser() => "st-" + Guid.NewGuid().ToString("N")[..8];

    async Task<Activity> AskAsync(string user, string text)
    {
        await host.SayAsync(user, text);
        return host.Sender.RepliesTo(user)[^1];
    }

    static void NoArticle(Activity reply) => Assert.DoesNotContain(reply.Cards, c => c.Title is "出典" or "Sources");

    [Theory]
    [InlineData("こんにちは", "こんにちは。みどり県 東京移住相談センターのご案内ボットです")]
    [InlineData("こんばんは！", "こんにちは。みどり県")]
    [InlineData("Hello", "Hello. This is the assistant of the Midori Prefecture Tokyo Relocation Center")]
    [InlineData("ありがとう", "どういたしまして")]
    [InlineData("ありがとうございます", "どういたしまして")]
    [InlineData("ありがとうございます。助かりました", "どういたしまして")]
    [InlineData("Thank you!", "You are welcome")]
    [InlineData("さようなら", "ご利用ありがとうございました")]
    [InlineData("何ができますか？", "次のことをお手伝いできます")]
    [InlineData("👍", "文字で入力してください")]
    [InlineData("？？", "文字で入力してください")]
    public async Task Small_talk_gets_a_short_friendly_reply_and_never_an_article(string message, string expected)
    {
        var user = NewUser();
        var replies = host.Sender.RepliesTo(user).Count;
        await host.SayAsync(user, message);
        var sent = host.Sender.RepliesTo(user).Skip(replies).ToList();
        Assert.Contains(expected, sent[0].Text);
        Assert.DoesNotContain("分かりません", sent[0].Text);
        Assert.DoesNotContain("don't know", sent[0].Text);
        foreach (var reply in sent)
            NoArticle(reply);
        Assert.Equal(0, await ConsecutiveDeclinesAsync(user));
    }

    [Fact]
    public async Task A_greeting_before_a_question_does_not_hide_the_question()
    {
        var reply = await AskAsync(NewUser(), "こんにちは。移住支援金は世帯でいくらもらえますか");
        Assert.Contains("100万円", reply.Text);
        Assert.Contains(reply.Cards, c => c.Title == "出典");
    }

    [Fact]
    public async Task Office_hours_address_access_and_phone_come_from_the_office_profile()
    {
        var user = NewUser();
        var hours = await AskAsync(user, "何時まで開いてますか？");
        Assert.Contains("平日 9:00〜17:00", hours.Text);
        Assert.Contains("ただいま受付中です", hours.Text);
        NoArticle(hours);

        var where = await AskAsync(user, "窓口の場所はどこですか");
        Assert.Contains("東京都千代田区丸の内9-9-9 テストビル3階", where.Text);
        Assert.Contains("東京駅から徒歩3分", where.Text);

        Assert.Contains("03-1111-2222", (await AskAsync(user, "電話番号を教えてください")).Text);

        var evening = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero)); // 19:00 in Tokyo
        await using var late = await BotHost.StartAsync(db.ConnectionString, settings: Office, services: s => s.AddSingleton<TimeProvider>(evening));
        await late.SayAsync(user, "東京の事務所は何時まで開いてますか？");
        Assert.Contains("ただいまは受付時間外で、次の受付は11月25日（水）9:00からです", late.Sender.RepliesTo(user)[^1].Text);
    }

    [Fact]
    public async Task A_fact_the_profile_does_not_hold_is_not_invented()
    {
        await using var bare = await BotHost.StartAsync(db.ConnectionString, services: s => s.AddSingleton<TimeProvider>(clock));
        await bare.SayAsync("st-bare", "住所を教えてください");
        var reply = bare.Sender.RepliesTo("st-bare")[^1];
        Assert.Contains("所在地はこちらではご案内できません", reply.Text);
        Assert.Contains(reply.SuggestedActions, a => a.Value == Commands.Contact);
    }

    [Theory]
    [InlineData("担当者につないでください")]
    [InlineData("スタッフさんと話せますか")]
    [InlineData("オペレーターお願いします")]
    [InlineData("直接相談したいです")]
    [InlineData("Can I talk to a person?")]
    public async Task A_person_asked_for_in_ordinary_words_is_found(string message)
    {
        var reply = await AskAsync(NewUser(), message);
        Assert.Contains(message.StartsWith("Can") ? "passing you to a coordinator" : "相談員におつなぎします", reply.Text);
    }

    [Fact]
    public async Task Inside_a_house_search_questions_office_facts_and_stopping_are_understood_and_the_search_offers_to_go_on()
    {
        var user = NewUser();
        await host.PressAsync(user, Commands.StartFlow, ListingSearchFlow.FlowName);

        var where = await AskAsync(user, "窓口の場所はどこですか");
        Assert.Contains("東京都千代田区丸の内9-9-9", host.Sender.TextsTo(user)[^2]);
        Assert.Contains("物件検索を続けられます", where.Text);

        await AskAsync(user, "東京の事務所は何時まで開いてますか？");
        Assert.Contains("平日 9:00〜17:00", host.Sender.TextsTo(user)[^2]);

        await AskAsync(user, "子育て加算はありますか？");
        var answer = host.Sender.RepliesTo(user)[^2];
        Assert.Contains(answer.Cards, c => c.Title == "出典");
        Assert.Contains("物件検索を続けられます", host.Sender.TextsTo(user)[^1]);

        await AskAsync(user, "How much is the relocation support grant?");
        Assert.DoesNotContain(host.Sender.TextsTo(user).TakeLast(2), t => t.Contains("could not read that as search conditions"));

        var stopped = await AskAsync(user, "検索をやめる");
        Assert.Contains("「空き家バンクの物件検索」を中止しました", stopped.Text);
    }

    [Fact]
    public async Task An_English_question_quoting_a_Japanese_term_is_answered_in_English()
    {
        // One language detector for questions, passages and the turn: mostly Latin letters is English.
        var reply = await AskAsync(NewUser(), "How much is the 移住支援金 for a household?");
        Assert.Contains(reply.Cards, c => c.Title == "Sources");
        Assert.Contains(reply.SuggestedActions, a => a.Title == "Talk to a coordinator");
    }

    [Fact]
    public async Task A_question_before_consenting_to_the_registration_is_answered_and_the_form_waits()
    {
        await using var withKeys = await BotHost.StartAsync(db.ConnectionString, settings: Registration.RegistrationKeys.Settings(),
            services: s => s.AddSingleton<TimeProvider>(clock));
        await KnowledgeContent.LoadAsync(withKeys.Services, KnowledgeContent.ArticlesFolder);
        const string user = "st-consent";
        await withKeys.SayAsync(user, "ふるさと住民登録をしたい");
        Assert.Contains("同意", withKeys.Sender.TextsTo(user)[^1]);

        await withKeys.SayAsync(user, "プレミアム登録って何が違うの？");
        var replies = withKeys.Sender.RepliesTo(user);
        Assert.Contains("プレミアム登録", replies[^2].Text);
        Assert.Contains(replies[^2].Cards, c => c.Title == "出典");
        Assert.Contains("「同意する」を", replies[^1].Text);

        await withKeys.SayAsync(user, "同意する");
        Assert.Contains("（1/", withKeys.Sender.TextsTo(user)[^1]);
    }

    async Task<int> ConsecutiveDeclinesAsync(string user)
    {
        var json = await db.ScalarAsync<string>("select state::text from conversation.conversations where key = @k",
            ("k", new ConversationAddress(RecordingSender.ChannelName, user).Key));
        return System.Text.Json.JsonSerializer.Deserialize<ConversationState>(json!, ConversationEngine.Json)!.ConsecutiveDeclines;
    }
}
