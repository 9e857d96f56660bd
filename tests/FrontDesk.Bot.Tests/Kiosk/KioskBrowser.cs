using FrontDesk.Testing;
using Microsoft.Playwright;

namespace FrontDesk.Bot.Tests.Kiosk;

/// <summary>The kiosk page in a browser: open, start, ask, screenshot.</summary>
public static class KioskBrowser
{
    public static readonly string ScreenshotFolder = Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");

    public static Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync() => Chromium.LaunchAsync();

    /// <summary>A kiosk screen (landscape, touch) with the device key in the address, as staff would open it once.</summary>
    public static async Task<IPage> OpenAsync(IBrowser browser, KioskTestApp kiosk)
    {
        var context = await browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 1600, Height = 900 },
            HasTouch = true,
            Locale = "ja-JP",
            TimezoneId = "Asia/Tokyo",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{kiosk.BaseUrl}/kiosk/#key={KioskTestApp.DeviceKey}");
        await Assertions.Expect(page.Locator("body.is-ready")).ToHaveCountAsync(1);
        return page;
    }

    public static async Task StartAsync(IPage page)
    {
        await page.Locator("#attract").ClickAsync();
        await Assertions.Expect(page.Locator("body.is-connected")).ToHaveCountAsync(1);
    }

    public static ILocator Chat(IPage page) => page.Locator(".webchat");

    public static async Task AskAsync(IPage page, string question)
    {
        var input = page.Locator(".webchat__send-box-text-box__input");
        await input.FillAsync(question);
        await input.PressAsync("Enter");
    }

    /// <summary>Waits until the transcript has stopped moving: the same scroll position and height for five animation frames.</summary>
    public static Task ScrollSettledAsync(IPage page) => page.WaitForFunctionAsync("""
        () => { const s = document.querySelector('.webchat__basic-transcript__scrollable');
                const now = s ? `${s.scrollTop}/${s.scrollHeight}` : '';
                const w = window;
                w.__settled = w.__settledAt === now ? (w.__settled ?? 0) + 1 : 0;
                w.__settledAt = now;
                return w.__settled >= 5; }
        """, null, new() { Timeout = 5000 });

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        // Web Chat scrolls to the newest activity with an animation; take the picture once it has arrived.
        await page.WaitForFunctionAsync("""
            () => { const s = document.querySelector('.webchat__basic-transcript__scrollable');
                    return !s || s.scrollTop + s.clientHeight >= s.scrollHeight - 4; }
            """, null, new() { Timeout = 5000 });
        await ScrollSettledAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png") });
    }
}
