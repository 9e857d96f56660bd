using FrontDesk.FakeLine;
using FrontDesk.Testing;
using FrontDesk.Testing.FakeLine;

namespace FrontDesk.Bot.Tests.Line;

/// <summary>Small talk, a person asked for in everyday words and the waiting acknowledgement, through signed webhooks and the Messaging API.</summary>
public sealed class LineSmallTalkTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    static readonly Dictionary<string, string?> AlwaysOpen = OfficeHoursSettings.AlwaysOpen();

    [Fact]
    public async Task Greetings_and_thanks_get_a_friendly_reply_and_no_article()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString, settings: AlwaysOpen);
        var user = LineEvents.NewUserId();

        await bot.SendAsync(bot.Events.Text(user, "こんにちは"));
        var texts = await bot.TextsToAsync(user, 2);
        Assert.Contains("ご案内ボットです", texts[0]);
        Assert.Contains("[相談員と話す]", texts[1]); // the menu bubble

        await bot.SendAsync(bot.Events.Text(user, "ありがとうございます"));
        texts = await bot.TextsToAsync(user, 3);
        Assert.Contains("どういたしまして", texts[2]);
        Assert.DoesNotContain(texts, t => t.Contains("出典") || t.Contains("分かりません"));
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Theory]
    [InlineData("担当者につないでください")]
    [InlineData("スタッフさんと話せますか")]
    [InlineData("オペレーターお願いします")]
    [InlineData("直接相談したいです")]
    [InlineData("人と話したいです")]
    public async Task A_person_asked_for_in_everyday_words_is_found(string message)
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString, settings: AlwaysOpen);
        var user = LineEvents.NewUserId();
        await bot.SendAsync(bot.Events.Text(user, message));
        Assert.Contains("相談員におつなぎします", (await bot.TextsToAsync(user, 1))[0]);
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task A_waiting_user_hears_that_the_message_arrived_once_and_not_after_every_message()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString, settings: AlwaysOpen);
        var user = LineEvents.NewUserId();
        await bot.SendAsync(bot.Events.Text(user, "相談員と話したい"));
        await bot.TextsToAsync(user, 1);

        await bot.SendAsync(bot.Events.Text(user, "いつ頃連絡もらえますか？"));
        var texts = await bot.TextsToAsync(user, 2);
        Assert.Contains("メッセージは相談員に届いています", texts[1]);
        Assert.Contains("待ち時間の目安", texts[1]);

        // Within the notice period nothing is said; 「ボットに戻る」 is the sentinel that everything before it was handled.
        await bot.SendAsync(bot.Events.Text(user, "まだですか"));
        await bot.SendAsync(bot.Events.Text(user, "ボットに戻る"));
        texts = await bot.TextsToAsync(user, 3);
        Assert.Equal(3, texts.Count);
        Assert.Contains("ボットでのご案内に戻りました", texts[2]);
        Assert.Empty(bot.Line.InvalidCalls);
    }
}
