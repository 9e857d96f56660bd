using Microsoft.Playwright;
using Xunit;

namespace FrontDesk.Testing;

/// <summary>
/// Debian's chromium, headless, driven by Playwright; never a downloaded browser. As a collection fixture, one browser
/// serves every test of the collection: each test opens its own context and closes it with <see cref="CloseContextsAsync"/>.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    public async Task InitializeAsync() => (playwright, Browser) = await LaunchAsync();

    /// <summary>Closes the pages a test opened, so that none of them goes on running (polling, timers) into the next test.</summary>
    public async Task CloseContextsAsync()
    {
        foreach (var context in Browser.Contexts.ToList())
            await context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright?.Dispose();
    }
}
