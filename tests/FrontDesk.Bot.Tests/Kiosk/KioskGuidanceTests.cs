using Microsoft.Playwright;
using FrontDesk.Testing;
using static FrontDesk.Bot.Tests.Kiosk.KioskBrowser;
using static Microsoft.Playwright.Assertions;

namespace FrontDesk.Bot.Tests.Kiosk;

/// <summary>The school guide on the kiosk screen, tapped through in chromium; the screenshot shows the answer cards.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KioskGuidanceTests(TestDatabase db, Chromium chromium) : IClassFixture<TestDatabase>
{
    static ILocator LastActivity(IPage page) => Chat(page).Locator(".webchat__basic-transcript__activity").Last;

    static Task TapAsync(IPage page, string label) =>
        page.GetByRole(AriaRole.Button, new() { Name = label, Exact = true }).Last.ClickAsync();

    [Fact]
    public async Task A_visitor_taps_through_the_school_guide_goes_back_answers_not_sure_and_sees_what_may_fit()
    {
        await using var kiosk = await KioskTestApp.StartAsync(db, knowledge: false);
        try
        {
            var page = await OpenAsync(chromium.Browser, kiosk);
            await StartAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "学校・保育", Exact = true }).ClickAsync();
            await Expect(Chat(page)).ToContainTextAsync("お子さんの学校や保育");

            await TapAsync(page, "学校・保育の案内を始める");
            await Expect(LastActivity(page)).ToContainTextAsync("（1/7）");
            await AskAsync(page, "小3");
            await Expect(LastActivity(page)).ToContainTextAsync("（2/7）");
            await TapAsync(page, "わからない");
            await Expect(LastActivity(page)).ToContainTextAsync("（3/7）");
            await TapAsync(page, "戻る");
            await Expect(LastActivity(page)).ToContainTextAsync("（2/7）");
            await TapAsync(page, "東京23区");
            await Expect(LastActivity(page)).ToContainTextAsync("（3/7）");
            await TapAsync(page, "美波町（徳島県）");
            await Expect(LastActivity(page)).ToContainTextAsync("（4/7）");
            await TapAsync(page, "わからない");
            await Expect(LastActivity(page)).ToContainTextAsync("（5/7）");
            await TapAsync(page, "何度も行き来する");
            await Expect(LastActivity(page)).ToContainTextAsync("（6/7）");
            await TapAsync(page, "今の住所のまま");
            await Expect(LastActivity(page)).ToContainTextAsync("（7/7）");
            await TapAsync(page, "二地域居住");
            await Expect(LastActivity(page)).ToContainTextAsync("この内容でよろしいですか");
            await Expect(LastActivity(page)).ToContainTextAsync("今のお住まい: 東京23区");
            await TapAsync(page, "はい");

            await Expect(Chat(page)).ToContainTextAsync("最終的に判断します");
            await Expect(Chat(page)).ToContainTextAsync("デュアルスクール（徳島県）");
            await Expect(Chat(page)).ToContainTextAsync("2024年4月1日時点");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "相談員に相談する" }).Last).ToBeVisibleAsync();
            await ScreenshotAsync(page, "kiosk-school-guide");
            // The same answer from its first line: the summary and the first cards.
            await Chat(page).Locator("p.webchat__text-content", new() { HasText = "当てはまりそうな制度をまとめました" }).ScrollIntoViewIfNeededAsync();
            await ScrollSettledAsync(page);
            await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, "kiosk-school-guide-answer.png") });

            await TapAsync(page, "相談員に相談する");
            await Expect(Chat(page)).ToContainTextAsync("相談員におつなぎします");
            var id = (await page.Locator(".webchat").GetAttributeAsync("data-conversation"))!;
            Assert.Equal("学校・保育の案内の回答", await db.ScalarAsync<string>(
                "select state->'handoff'->'attachments'->0->>'title' from conversation.conversations where key = @k", ("k", "kiosk:" + id)));
        }
        finally
        {
            await chromium.CloseContextsAsync();
        }
    }
}
