using FrontDesk.Bot.Conversations;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static FrontDesk.Bot.Tests.Kiosk.KioskBrowser;
using static Microsoft.Playwright.Assertions;

namespace FrontDesk.Bot.Tests.Kiosk;

/// <summary>The kiosk page in Debian's chromium against the real host; every test saves a screenshot of what it checked.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KioskPageTests(TestDatabase db, Chromium chromium) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    readonly IBrowser browser = chromium.Browser;
    KioskTestApp kiosk = null!;

    public async Task InitializeAsync() => kiosk = await KioskTestApp.StartAsync(db);

    public async Task DisposeAsync()
    {
        await chromium.CloseContextsAsync();
        await kiosk.DisposeAsync();
    }

    static async Task<string> ConversationIdAsync(IPage page) => (await page.Locator(".webchat").GetAttributeAsync("data-conversation"))!;

    [Fact]
    public async Task A_visitor_taps_a_tile_asks_a_question_and_sees_an_answer_with_its_sources()
    {
        var page = await OpenAsync(browser, kiosk);
        await Expect(page.Locator("#attract")).ToContainTextAsync("画面にタッチして");
        await StartAsync(page);
        await Expect(Chat(page)).ToContainTextAsync("こんにちは");

        await page.GetByRole(AriaRole.Button, new() { Name = "空き家バンク", Exact = true }).ClickAsync();
        await Expect(Chat(page)).ToContainTextAsync("市町村が地域の空き家の情報を集めて");

        await AskAsync(page, "移住支援金は世帯でいくらもらえますか？");
        await Expect(Chat(page)).ToContainTextAsync("100万円");
        await Expect(Chat(page)).ToContainTextAsync("出典");
        await Expect(Chat(page)).ToContainTextAsync("時点");
        await ScreenshotAsync(page, "kiosk-tile-question-answer");

        var id = await ConversationIdAsync(page);
        Assert.Equal("topic", await db.ScalarAsync<string>(
            "select activity->>'name' from conversation.transcript where conversation_key = @k and direction = 'i' and activity->>'kind' = 'Command'", ("k", "kiosk:" + id)));
    }

    [Fact]
    public async Task The_visitor_switches_to_English_and_the_page_and_the_bot_follow()
    {
        var page = await OpenAsync(browser, kiosk);
        await StartAsync(page);
        await page.Locator("#lang-en").ClickAsync();
        await Expect(page.Locator("#title")).ToHaveTextAsync("Relocation & Dual Residence Help Desk");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Vacant-house bank", Exact = true })).ToBeVisibleAsync();
        await Expect(Chat(page)).ToContainTextAsync("I will reply in English");

        await page.GetByRole(AriaRole.Button, new() { Name = "Schools and childcare", Exact = true }).ClickAsync();
        await Expect(Chat(page)).ToContainTextAsync("Here is help with schools and childcare");
        await ScreenshotAsync(page, "kiosk-english");
        var id = await ConversationIdAsync(page);
        Assert.Equal("en", await db.ScalarAsync<string>("select state->>'language' from conversation.conversations where key = @k", ("k", "kiosk:" + id)));
    }

    [Fact]
    public async Task Calling_staff_sends_the_contact_command_marked_kiosk()
    {
        var page = await OpenAsync(browser, kiosk);
        await StartAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "スタッフを呼ぶ" }).ClickAsync();
        await Expect(Chat(page)).ToContainTextAsync("二地域居住コーディネーター");
        await ScreenshotAsync(page, "kiosk-call-staff");
        var id = await ConversationIdAsync(page);
        Assert.Equal("kiosk", await db.ScalarAsync<string>(
            "select activity->>'value' from conversation.transcript where conversation_key = @k and direction = 'i' and activity->>'name' = 'contact'", ("k", "kiosk:" + id)));
    }

    [Fact]
    public async Task Continue_on_LINE_shows_a_QR_code_and_a_one_time_code_that_links_the_conversation()
    {
        var page = await OpenAsync(browser, kiosk);
        await StartAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "学校・保育", Exact = true }).ClickAsync();
        await Expect(Chat(page)).ToContainTextAsync("お子さんの学校や保育");

        await page.GetByRole(AriaRole.Button, new() { Name = "LINEで続ける" }).ClickAsync();
        await Expect(page.Locator("#line-code")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^FD-[A-Z2-9]{6}$"));
        StringAssert(await page.Locator("#line-qr").GetAttributeAsync("src"), "data:image/png;base64,");
        var code = await page.Locator("#line-code").TextContentAsync();

        var engine = kiosk.Services.GetRequiredService<ConversationEngine>();
        await engine.HandleAsync(new ConversationAddress(RecordingSender.ChannelName, "line-visitor"), Activity.Message(code!), CancellationToken.None);
        Assert.Contains(kiosk.Sender.TextsTo("line-visitor"), t => t.Contains("引き継ぎました"));
        await Expect(page.Locator("#line-status")).ToContainTextAsync("LINEに引き継ぎました");
        await ScreenshotAsync(page, "kiosk-line-continuation");
    }

    static void StringAssert(string? actual, string prefix) => Assert.StartsWith(prefix, actual ?? "");

    [Fact]
    public async Task Script_links_and_images_typed_by_a_visitor_render_as_inert_text()
    {
        var page = await OpenAsync(browser, kiosk);
        await StartAsync(page);
        const string hostile = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\"> [link](javascript:window.__pwned=1) ![img](http://127.0.0.1:9/x.png)";
        await AskAsync(page, hostile);
        await Expect(Chat(page)).ToContainTextAsync("<script>window.__pwned=1</script>");
        await Expect(Chat(page)).ToContainTextAsync(new System.Text.RegularExpressions.Regex("分かりません|I don't know"));
        Assert.Equal(0, await Chat(page).Locator("a[href^='javascript:'], img[src*='127.0.0.1:9'], img[src='x'], script").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
        await ScreenshotAsync(page, "kiosk-hostile-input");
    }

    [Fact]
    public async Task When_the_server_is_unreachable_the_page_says_so_and_recovers_by_itself()
    {
        var page = await OpenAsync(browser, kiosk);
        await StartAsync(page);
        await Expect(Chat(page)).ToContainTextAsync("こんにちは");
        await page.Context.SetOfflineAsync(true);
        await Expect(page.Locator("#offline")).ToBeVisibleAsync();
        await Expect(page.Locator("#offline")).ToContainTextAsync("自動で再接続");
        await ScreenshotAsync(page, "kiosk-offline");

        // Web Chat drops what is sent before it is connected again, so the notice stays until then: hold the
        // page's reconnect (GET /conversations/{id}?watermark=) and the notice must still be there.
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(new System.Text.RegularExpressions.Regex("/conversations/[^/?]+\\?watermark="), async route =>
        {
            reconnecting.TrySetResult();
            await release.Task;
            await route.ContinueAsync();
        });
        await page.Context.SetOfflineAsync(false);
        await reconnecting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await page.Locator("#offline").IsVisibleAsync(), "the notice went away before the page was connected again");
        release.SetResult();
        await Expect(page.Locator("#offline")).ToBeHiddenAsync();
        await Expect(page.Locator("body.is-connected")).ToHaveCountAsync(1);
        await AskAsync(page, "ヘルプ");
        await Expect(Chat(page)).ToContainTextAsync("出典つきでお答えします");
        // The same conversation goes on: what the visitor saw before is still there.
        await Expect(Chat(page)).ToContainTextAsync("こんにちは");
    }
}

/// <summary>Idle reset with a short idle time of its own, so the other page tests are not interrupted.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KioskIdleResetTests(TestDatabase db, Chromium chromium) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task After_the_idle_countdown_the_screen_is_wiped_the_conversation_ended_and_a_new_visitor_starts_clean()
    {
        await using var kiosk = await KioskTestApp.StartAsync(db, new Dictionary<string, string?>
        {
            ["Kiosk:IdleSeconds"] = "5",
            ["Kiosk:CountdownSeconds"] = "3",
        }, knowledge: false);
        try
        {
            var page = await OpenAsync(chromium.Browser, kiosk);
            await StartAsync(page);
            await AskAsync(page, "前の人の相談内容です");
            await Expect(Chat(page)).ToContainTextAsync("前の人の相談内容です");
            var first = (await page.Locator(".webchat").GetAttributeAsync("data-conversation"))!;

            await Expect(page.Locator("#countdown")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Expect(page.Locator("#countdown")).ToContainTextAsync("まもなく最初の画面に戻ります");
            await ScreenshotAsync(page, "kiosk-idle-countdown");

            await Expect(page.Locator("#attract")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Expect(page.Locator("#countdown")).ToBeHiddenAsync();
            await Expect(page.Locator("body")).Not.ToContainTextAsync("前の人の相談内容です");
            await Eventually.TrueAsync(async () => await db.ScalarAsync<DateTime?>("select ended_at from kiosk.conversations where id = @id", ("id", first)) is not null,
                "the server conversation is ended");
            await ScreenshotAsync(page, "kiosk-idle-reset");

            await StartAsync(page);
            await Expect(Chat(page)).ToContainTextAsync("こんにちは");
            var second = (await page.Locator(".webchat").GetAttributeAsync("data-conversation"))!;
            Assert.NotEqual(first, second);
            await Expect(page.Locator("body")).Not.ToContainTextAsync("前の人の相談内容です");
        }
        finally
        {
            await chromium.CloseContextsAsync();
        }
    }
}
