using FrontDesk.Bot.Tests.Kiosk;
using FrontDesk.Testing;
using Microsoft.Playwright;
using static FrontDesk.Bot.Tests.Kiosk.KioskBrowser;
using static Microsoft.Playwright.Assertions;

namespace FrontDesk.Bot.Tests.Registration;

/// <summary>The registration on the kiosk screen in chromium: the form, its summary, the number, then the wipe.</summary>
public sealed class KioskRegistrationTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    static async Task AnswerAsync(IPage page, string text, string next)
    {
        await AskAsync(page, text);
        await Expect(Chat(page)).ToContainTextAsync(next);
    }

    static async Task PressAsync(IPage page, string button, string next)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).Last.ClickAsync();
        await Expect(Chat(page)).ToContainTextAsync(next);
    }

    [Fact]
    public async Task A_visitor_registers_at_the_kiosk_sees_the_number_and_the_screen_is_wiped_afterwards()
    {
        var settings = RegistrationKeys.Settings();
        settings["Registration:KioskWipeSeconds"] = "4";
        await using var kiosk = await KioskTestApp.StartAsync(db, settings, knowledge: false);
        var (playwright, browser) = await LaunchAsync();
        try
        {
            var page = await OpenAsync(browser, kiosk);
            await StartAsync(page);
            await page.Locator(".tile[data-arg=furusato]").ClickAsync();
            await PressAsync(page, "ふるさと住民登録をする", "同意いただける場合");
            await PressAsync(page, "同意する", "（1/11）");
            await AnswerAsync(page, "😀", "絵文字");
            await AnswerAsync(page, "小林 澪", "（2/11）");
            await AnswerAsync(page, "こばやし みお", "（3/11）");
            await AnswerAsync(page, "mio.kobayashi@example.jp", "（4/11）");
            await PressAsync(page, "なし", "（5/11）");
            await AnswerAsync(page, "１６０－００２３", "東京都新宿区西新宿");
            await PressAsync(page, "この住所でよい", "（7/11）");
            await PressAsync(page, "答えない", "（8/11）");
            await PressAsync(page, "観光", "選択中: 観光");
            await PressAsync(page, "選び終えた", "（9/11）");
            await PressAsync(page, "まだ決めていない", "（10/11）");
            await PressAsync(page, "ベーシック登録", "（11/11）");
            await PressAsync(page, "イベント", "選択中: イベント");
            await PressAsync(page, "選び終えた", "この内容で登録してよろしいですか");
            await Expect(Chat(page)).ToContainTextAsync("・住所: 東京都新宿区西新宿");
            await ScreenshotAsync(page, "kiosk-registration-summary");
            // Mid-form the screen's activity log holds the answers, sealed: nothing of them in plain text.
            var midForm = (await page.Locator(".webchat").GetAttributeAsync("data-conversation"))!;
            Assert.True(await db.ScalarAsync<long>("select count(*) from kiosk.activities where conversation_id = @id and sealed is not null", ("id", midForm)) > 10);
            Assert.Equal(0, await db.ScalarAsync<long>("""
                select count(*) from kiosk.activities
                where conversation_id = @id and (activity is not null or position(convert_to('小林', 'UTF8') in sealed) > 0 or position(convert_to('mio.kobayashi', 'UTF8') in sealed) > 0)
                """, ("id", midForm)));

            await PressAsync(page, "登録する", "登録番号は FR-");
            await ScreenshotAsync(page, "kiosk-registration-number");
            var conversation = (await page.Locator(".webchat").GetAttributeAsync("data-conversation"))!;

            // The page wipes itself: nothing of this visitor stays on the screen or in the kiosk's activity log.
            await Expect(page.Locator("#attract")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Expect(page.Locator("body")).Not.ToContainTextAsync("小林");
            await Eventually.TrueAsync(async () => await db.ScalarAsync<DateTime?>("select ended_at from kiosk.conversations where id = @id", ("id", conversation)) is not null,
                "the kiosk conversation is ended");
            Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from kiosk.activities where conversation_id = @id", ("id", conversation)));
            await ScreenshotAsync(page, "kiosk-registration-wiped");

            Assert.Equal(1, await db.ScalarAsync<long>("select count(*) from registration.registrations where channel = 'kiosk' and owner_index is null"));
            Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from conversation.transcript where activity::text like '%小林%' or activity::text like '%mio.kobayashi%'"));
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task Cancelling_at_the_kiosk_erases_the_draft_and_wipes_the_screen()
    {
        var settings = RegistrationKeys.Settings();
        await using var kiosk = await KioskTestApp.StartAsync(db, settings, knowledge: false);
        var (playwright, browser) = await LaunchAsync();
        try
        {
            var page = await OpenAsync(browser, kiosk);
            await StartAsync(page);
            await page.Locator(".tile[data-arg=furusato]").ClickAsync();
            await PressAsync(page, "ふるさと住民登録をする", "同意いただける場合");
            await PressAsync(page, "同意する", "（1/11）");
            await AnswerAsync(page, "加藤 律", "（2/11）");
            await PressAsync(page, "やめる", "入力した内容は消去しました");
            await ScreenshotAsync(page, "kiosk-registration-cancelled");
            await Expect(page.Locator("#attract")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Expect(page.Locator("body")).Not.ToContainTextAsync("加藤");
            Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from registration.drafts where payload is not null"));
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
