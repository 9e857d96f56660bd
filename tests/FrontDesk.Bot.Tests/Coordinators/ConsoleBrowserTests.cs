using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Staff;
using FrontDesk.Bot.Tests.Kiosk;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FrontDesk.Bot.Tests.Coordinators;

[Collection(BrowserCollection.Name)]
public sealed class ConsoleBrowserTests(TestDatabase db, Chromium chromium) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => chromium.CloseContextsAsync();

    [Fact]
    public async Task A_coordinator_signs_in_sees_the_queue_claims_replies_and_closes_in_the_browser()
    {
        var sender = new RecordingSender();
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", services: s => s.AddSingleton<IChannelSender>(sender));
        await app.Services.GetRequiredService<StaffAccounts>().AddAsync("yamada", "山田 花子", "coordinator", "browser test password", CancellationToken.None);
        var engine = app.Services.GetRequiredService<ConversationEngine>();
        var visitor = new ConversationAddress(RecordingSender.ChannelName, "browser-visitor");
        await engine.HandleAsync(visitor, Activity.Message("相談員と話したいです"), CancellationToken.None);
        await engine.HandleAsync(visitor, Activity.Message("子ども2人と長野への移住を考えています <b>急ぎ</b>"), CancellationToken.None);

        var browser = chromium.Browser;
        var page = await browser.NewPageAsync(new() { Locale = "ja-JP", TimezoneId = "Asia/Tokyo", ViewportSize = new() { Width = 1280, Height = 900 } });

        await page.GotoAsync(new Uri(app.ServerAddress, "/console").ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/sign-in"));
        await page.GetByLabel("ログインID").FillAsync("yamada");
        await page.GetByLabel("パスワード").FillAsync("browser test password");
        await page.GetByRole(AriaRole.Button, new() { Name = "サインイン" }).ClickAsync();

        await Assertions.Expect(page.Locator(".card.waiting")).ToContainTextAsync("利用者の希望");
        await Assertions.Expect(page.Locator(".card.waiting")).ToContainTextAsync("<b>急ぎ</b>"); // shown as text, not markup
        await page.Locator(".card.waiting a").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "担当する" }).ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("この会話を担当しました");

        await page.Locator("textarea[name=text]").FillAsync("山田です。長野のどの辺りをお考えですか？");
        await page.GetByRole(AriaRole.Button, new() { Name = "送信" }).ClickAsync();
        await Assertions.Expect(page.Locator(".line.coord").Last).ToContainTextAsync("山田です。");
        Assert.Equal("山田です。長野のどの辺りをお考えですか？", sender.TextsTo("browser-visitor")[^1]);

        Directory.CreateDirectory(KioskBrowser.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(KioskBrowser.ScreenshotFolder, "console-conversation.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "対応を終了してボットに戻す" }).ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("対応を終了し、ボットに戻しました");
        Assert.Contains("相談員との会話を終了しました", sender.TextsTo("browser-visitor")[^1]);
    }
}
