using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Staff;
using FrontDesk.Bot.Tests.Kiosk;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FrontDesk.Bot.Tests.Coordinators;

[Collection(BrowserCollection.Name)]
public sealed class LiveConsoleBrowserTests(TestDatabase db, Chromium chromium) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => chromium.CloseContextsAsync();

    [Fact]
    public async Task The_queue_and_the_conversation_update_live_in_the_browser_with_a_notification_for_a_new_waiting_user()
    {
        var sender = new RecordingSender();
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", services: s => s.AddSingleton<IChannelSender>(sender));
        await app.Services.GetRequiredService<StaffAccounts>().AddAsync("live-yamada", "山田 花子", "coordinator", "live browser password", CancellationToken.None);
        var engine = app.Services.GetRequiredService<ConversationEngine>();
        var visitor = new ConversationAddress(RecordingSender.ChannelName, "live-browser-visitor");

        var browser = chromium.Browser;
        var context = await browser.NewContextAsync(new() { Locale = "ja-JP", TimezoneId = "Asia/Tokyo", ViewportSize = new() { Width = 1280, Height = 900 } });
        await context.GrantPermissionsAsync(["notifications"], new() { Origin = app.ServerAddress.GetLeftPart(UriPartial.Authority) });
        // Records the notifications the page raises (headless chromium shows none).
        await context.AddInitScriptAsync("""
            window.__notified = [];
            window.Notification = class { constructor(title, options) { window.__notified.push(options.body); } static permission = 'granted'; static requestPermission() { return Promise.resolve('granted'); } };
            """);
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(app.ServerAddress, "/console").ToString());
        await page.GetByLabel("ログインID").FillAsync("live-yamada");
        await page.GetByLabel("パスワード").FillAsync("live browser password");
        await page.GetByRole(AriaRole.Button, new() { Name = "サインイン" }).ClickAsync();
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("● ライブ");
        await page.EvaluateAsync("window.__sameDocument = true");

        // A user asks for a person after the page was loaded: the card appears without a reload, with a notification.
        await engine.HandleAsync(visitor, Activity.Message("相談員と話したいです"), CancellationToken.None);
        var card = page.Locator(".card.waiting[data-key='test:live-browser-visitor']");
        await Assertions.Expect(card).ToContainTextAsync("利用者の希望");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"));
        Assert.Equal("test:live-browser-visitor", await page.Locator("body").GetAttributeAsync("data-last-waiting"));
        Assert.Contains("新しい相談が待っています。", await page.EvaluateAsync<string[]>("window.__notified"));

        await card.Locator("a").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "担当する" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("この会話を担当しました");
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("● ライブ");
        await page.EvaluateAsync("window.__sameDocument = true");

        // The user's next message shows in the open conversation without a reload.
        await engine.HandleAsync(visitor, Activity.Message("週末に松本で物件を見たいです <i>至急</i>"), CancellationToken.None);
        await Assertions.Expect(page.Locator("#transcript .line.in").Last).ToContainTextAsync("週末に松本で物件を見たいです <i>至急</i>");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"));

        await page.GetByPlaceholder("利用者への返信（2,000文字まで）").FillAsync("山田です。土曜日の午前はいかがですか？");
        await page.GetByRole(AriaRole.Button, new() { Name = "送信" }).ClickAsync();
        await Assertions.Expect(page.Locator("#transcript .line.coord").Last).ToContainTextAsync("土曜日の午前");
        Assert.Equal("山田です。土曜日の午前はいかがですか？", sender.TextsTo("live-browser-visitor")[^1]);

        Directory.CreateDirectory(KioskBrowser.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(KioskBrowser.ScreenshotFolder, "console-live-conversation.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "対応を終了してボットに戻す" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("対応を終了し、ボットに戻しました");
        Assert.Contains("相談員との会話を終了しました", sender.TextsTo("live-browser-visitor")[^1]);
        await page.GotoAsync(new Uri(app.ServerAddress, "/console").ToString());
        await Assertions.Expect(page.Locator("[data-key='test:live-browser-visitor']")).ToHaveCountAsync(0);
    }
}
