using FrontDesk.FakeLine;
using FrontDesk.Testing;
using FrontDesk.Testing.FakeLine;

namespace FrontDesk.Bot.Tests.Registration;

/// <summary>The registration on LINE end to end: signed webhooks in, Messaging API calls out, each checked against the OpenAPI file.</summary>
public sealed class RegistrationLineTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_LINE_user_registers_from_the_rich_menu_then_views_and_deletes_the_registration()
    {
        var settings = RegistrationKeys.Settings();
        await using var bot = await LineBot.StartAsync(db.ConnectionString, settings: settings);
        var user = LineEvents.NewUserId();
        var seen = 0;
        async Task<string> Step(System.Text.Json.Nodes.JsonObject e, int messages = 1)
        {
            await bot.SendAsync(e);
            seen += messages;
            var texts = await bot.TextsToAsync(user, seen);
            return string.Join("\n", texts.Skip(seen - messages));
        }
        Task<string> Say(string text, int messages = 1) => Step(bot.Events.Text(user, text), messages);
        Task<string> Press(string value, int messages = 1) => Step(bot.Events.Postback(user, "c=answer&v=" + Uri.EscapeDataString(value)), messages);

        Assert.Contains("ふるさと住民登録をする", await Step(bot.Events.Postback(user, "c=topic&v=furusato")));
        Assert.Contains("同意する", await Say("ふるさと住民登録をする"));
        Assert.Contains("（1/11）", await Press("_agree", 2));
        await Say("佐野　美月");
        await Say("ｻﾉ ﾐﾂｷ");
        var reasked = await Say("090-1234-5678", 2);
        Assert.Contains("電話番号のようです", reasked);
        Assert.Contains("（3/11）", reasked);
        await Say("mitsuki.sano@example.com");
        await Say("なし");
        Assert.Contains("長野県松本市", await Say("390-0000"));
        await Press("_suggested");
        await Say("1990年");
        await Say("二地域居住（検討中）、ふるさと納税");
        await Say("まだ決めていない");
        await Say("ベーシック");
        var summary = await Say("不要");
        Assert.True(summary.Contains("・フリガナ: サノ ミツキ"), string.Join("\n---\n", bot.Line.TextsTo(user)));
        Assert.Contains("・地域との関わり: 二地域居住（検討中）、ふるさと納税", summary);
        Assert.Matches(@"登録番号は FR-\d{4}-\d{6}", await Say("はい"));

        Assert.Contains("・お名前: 佐野 美月", await Say("登録内容を確認"));
        Assert.Contains("元に戻せません", await Say("削除"));
        Assert.Contains("登録を削除しました", await Say("削除を確定する"));
        Assert.Empty(bot.Line.InvalidCalls);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from conversation.transcript where activity::text like '%美月%' or activity::text like '%mitsuki%'"));
    }

    [Fact]
    public async Task A_LINE_user_declines_once_later_leaves_the_form_midway_resumes_it_and_changes_the_registration()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString, settings: RegistrationKeys.Settings());
        var user = LineEvents.NewUserId();
        var seen = 0;
        async Task<string> Say(string text, int messages = 1)
        {
            await bot.SendAsync(bot.Events.Text(user, text));
            seen += messages;
            var texts = await bot.TextsToAsync(user, seen);
            return string.Join("\n", texts.Skip(seen - messages));
        }

        await Say("ふるさと住民登録をする");
        Assert.Contains("個人情報はお預かりしていません", await Say("同意しない"));

        await Say("ふるさと住民登録をする");
        await Say("同意する", 2);
        await Say("橋本 陽");
        await Say("はしもと はる");
        // The person leaves the form for the menu and comes back another day.
        await Say("メニュー", 4);
        Assert.Contains("再開できます", await Say("ふるさと住民登録をする"));
        Assert.Contains("（3/11）", await Say("続きから"));
        await Say("haru.hashimoto@example.org");
        await Say("０８０（２２２２）３３３３");
        await Say("1000005");
        await Say("この住所でよい");
        await Say("答えない");
        await Say("副業");
        await Say("未定");
        await Say("プレミアム");
        var summary = await Say("不要");
        Assert.Contains("・電話番号: 08022223333", summary);
        Assert.Contains("・住所: 東京都千代田区丸の内", summary);
        Assert.Contains("登録番号は FR-", await Say("登録する"));

        Assert.Contains("どの項目を直しますか", await Say("変更"));
        Assert.Contains("（8/11）", await Say("地域との関わり"));
        await Say("ボランティア、副業");
        Assert.Contains("・地域との関わり: ボランティア、副業", (await bot.TextsToAsync(user, seen))[^1]);
        Assert.Contains("登録内容を変更しました", await Say("はい"));
        Assert.Empty(bot.Line.InvalidCalls);
    }
}
