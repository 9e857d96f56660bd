using FrontDesk.Bot.Registration;
using FrontDesk.FakeLine;
using FrontDesk.Testing;
using FrontDesk.Testing.FakeLine;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task On_LINE_every_invalid_answer_is_asked_again_a_field_is_edited_and_a_second_form_is_cancelled()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString, settings: RegistrationKeys.Settings());
        var user = LineEvents.NewUserId();
        var seen = 0;
        // Sends the text and waits for the reply that contains the marker; returns everything the bot sent since.
        async Task<string> Say(string text, string marker)
        {
            await bot.SendAsync(bot.Events.Text(user, text));
            string reply = "";
            await Eventually.TrueAsync(() =>
            {
                var texts = bot.Line.TextsTo(user);
                reply = string.Join("\n", texts.Skip(seen));
                if (!reply.Contains(marker, StringComparison.Ordinal))
                    return false;
                seen = texts.Count;
                return true;
            }, $"a reply containing {marker} after {text}");
            return reply;
        }
        // A wrong answer: the reason, then the same question again.
        async Task Wrong(string text, string reason, string question)
        {
            var reply = await Say(text, question);
            Assert.Contains(reason, reply);
        }

        await Say("ふるさと住民登録をする", "同意する");
        await Say("同意する", "（1/11）");
        await Wrong("😀つばき", "絵文字", "（1/11）");
        await Wrong("<script>alert(1)</script>", "記号", "（1/11）");
        await Wrong(new string('あ', 1000), "40文字以内", "（1/11）");
        await Say("森 遥", "（2/11）");
        await Wrong("Haruka", "ひらがなかカタカナ", "（2/11）");
        await Say("もり はるか", "（3/11）");
        await Wrong("080-7777-1234", "電話番号のようです", "（3/11）");
        await Wrong("haruka@", "メールアドレスの形", "（3/11）");
        await Say("haruka.mori@example.net", "（4/11）");
        await Wrong("12345", "桁数", "（4/11）");
        await Wrong("でんわ", "数字で", "（4/11）");
        await Say("なし", "（5/11）");
        await Wrong("39008", "7桁", "（5/11）");
        await Say("100-0000", "一部だけ");
        await Wrong(new string('あ', 1000), "80文字以内", "住所");
        await Say("東京都千代田区霞が関", "（7/11）");
        await Wrong("1850", "範囲外", "（7/11）");
        await Wrong("むかし", "昭和60年", "（7/11）");
        await Say("答えない", "（8/11）");
        await Wrong("選び終えた", "1つ以上", "（8/11）");
        await Say("観光", "（9/11）");
        await Wrong("松本市、上田市、飯田市、諏訪市", "3つまで", "（9/11）");
        await Say("松本市", "（10/11）");
        await Wrong("どちらでも", "プレミアム登録", "（10/11）");
        await Say("ベーシック", "（11/11）");
        await Say("不要", "この内容で登録してよろしいですか");

        // Edit one field from the summary, then register.
        await Say("修正する", "どの項目を直しますか");
        await Say("お名前", "（1/11）");
        var summary = await Say("森 はるか", "この内容で登録してよろしいですか");
        Assert.Contains("・お名前: 森 はるか", summary);
        Assert.Matches(@"登録番号は FR-\d{4}-\d{6}", await Say("登録する", "登録番号"));

        // Another person cancels halfway: nothing of them is kept.
        var other = LineEvents.NewUserId();
        await bot.SendAsync(bot.Events.Text(other, "ふるさと住民登録をする"));
        await bot.SendAsync(bot.Events.Text(other, "同意する"));
        await bot.SendAsync(bot.Events.Text(other, "石田 蓮"));
        await bot.SendAsync(bot.Events.Text(other, "やめる"));
        await Eventually.TrueAsync(() => bot.Line.TextsTo(other).Any(t => t.Contains("中止しました", StringComparison.Ordinal)), "the cancel is confirmed");
        var store = bot.App.Services.GetRequiredService<RegistrationStore>();
        var owner = store.OwnerIndex("line:" + other);
        Assert.Null(await store.DraftAsync(owner, CancellationToken.None));
        Assert.Null(await store.ByOwnerAsync(owner, CancellationToken.None));
        Assert.Empty(bot.Line.InvalidCalls);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from conversation.transcript where activity::text like '%石田%' or activity::text like '%haruka%'"));
    }

    [Fact]
    public async Task On_LINE_back_at_the_address_goes_back_an_unknown_municipality_is_asked_again_and_several_are_split()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString, settings: RegistrationKeys.Settings());
        var user = LineEvents.NewUserId();
        var seen = 0;
        // Sends the text and waits for the reply that contains the marker; returns everything the bot sent since.
        async Task<string> Say(string text, string marker)
        {
            await bot.SendAsync(bot.Events.Text(user, text));
            string reply = "";
            await Eventually.TrueAsync(() =>
            {
                var texts = bot.Line.TextsTo(user);
                reply = string.Join("\n", texts.Skip(seen));
                if (!reply.Contains(marker, StringComparison.Ordinal))
                    return false;
                seen = texts.Count;
                return true;
            }, $"a reply containing {marker} after {text}");
            return reply;
        }

        await Say("ふるさと住民登録をしたい", "同意する");
        await Say("同意する", "（1/11）");
        await Say("大野 紬", "（2/11）");
        await Say("おおの つむぎ", "（3/11）");
        await Say("tsumugi.ono@example.jp", "（4/11）");
        await Say("なし", "（5/11）");
        await Say("100-0000", "（6/11）");
        // 「戻る」 at the address goes back to the postal code (the wait fails otherwise); it is not an address.
        await Say("戻る", "（5/11）");
        await Say("1600023", "東京都新宿区西新宿");
        await Say("この住所でよい", "（7/11）");
        await Say("答えない", "（8/11）");
        await Say("観光", "（9/11）");
        var unknown = await Say("ほげほげ市", "（9/11）");
        Assert.Contains("「ほげほげ市」という市町村が見つかりませんでした", unknown);
        await Say("松本市と軽井沢町、あと白馬", "（10/11）");
        await Say("ベーシック", "（11/11）");
        var summary = await Say("不要", "この内容で登録してよろしいですか");
        Assert.Contains("・住所: 東京都新宿区西新宿", summary);
        Assert.Contains("・関心のある市町村: 松本市、軽井沢町、白馬村", summary);
        Assert.DoesNotContain("戻る", summary.Split('\n').First(l => l.StartsWith("・住所", StringComparison.Ordinal)));
        Assert.Matches(@"登録番号は FR-\d{4}-\d{6}", await Say("登録する", "登録番号"));

        var store = bot.App.Services.GetRequiredService<RegistrationStore>();
        var record = await store.ByOwnerAsync(store.OwnerIndex("line:" + user), CancellationToken.None);
        Assert.Equal("東京都新宿区西新宿", record!.Form.Address);
        Assert.Equal(["松本市", "軽井沢町", "白馬村"], record.Form.Municipalities);
        Assert.Empty(bot.Line.InvalidCalls);
    }
}
