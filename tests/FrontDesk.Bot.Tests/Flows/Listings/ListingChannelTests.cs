using System.Text.Json.Nodes;
using FrontDesk.Bot.Tests.Kiosk;
using FrontDesk.FakeLine;
using FrontDesk.Testing;
using FrontDesk.Testing.FakeLine;
using Microsoft.Playwright;
using static FrontDesk.Bot.Tests.Kiosk.KioskBrowser;
using static Microsoft.Playwright.Assertions;

namespace FrontDesk.Bot.Tests.Flows.Listings;

/// <summary>Listing carousels as the channels draw them: LINE Flex (checked against the LINE OpenAPI by the fake platform) and kiosk hero cards in a browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ListingChannelTests(TestDatabase db, Chromium chromium) : IClassFixture<TestDatabase>
{
    async Task ImportOnceAsync(IServiceProvider services)
    {
        if (await db.ScalarAsync<long>("select count(*) from listings.listings") == 0)
            await ListingSamples.ImportAsync(services);
    }

    [Fact]
    public async Task On_LINE_a_search_is_a_valid_Flex_carousel_and_asking_about_a_house_hands_off()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        await ImportOnceAsync(bot.App.Services);
        var user = LineEvents.NewUserId();

        await bot.SendAsync(bot.Events.Text(user, "長野県の物件を見せて"));
        var texts = await bot.TextsToAsync(user, 2);
        Assert.Contains("条件: 長野県", texts[0]);
        var flex = bot.Line.DeliveredTo(user).Single(m => m["type"]!.GetValue<string>() == "flex");
        var carousel = flex["contents"]!.AsObject();
        Assert.Equal("carousel", carousel["type"]!.GetValue<string>());
        var bubbles = carousel["contents"]!.AsArray();
        Assert.InRange(bubbles.Count, 2, 12);
        var footer = bubbles[0]!["footer"]!["contents"]!.AsArray();
        var consult = footer.Select(b => b!["action"]!.AsObject()).Single(a => a["label"]!.GetValue<string>() == "この物件について相談する");
        Assert.Equal("postback", consult["type"]!.GetValue<string>());

        await bot.SendAsync(bot.Events.Text(user, "もっと見る"));
        Assert.Contains("11〜", (await bot.TextsToAsync(user, 4))[2]);

        await bot.SendAsync(bot.Events.Postback(user, consult["data"]!.GetValue<string>()));
        Assert.Contains("相談員", (await bot.TextsToAsync(user, 5))[4]);
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task On_LINE_a_hosted_PNG_photo_is_a_hero_image_at_the_public_https_address_and_SVG_photos_are_left_out()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString,
            settings: new Dictionary<string, string?> { ["Listings:PublicBaseUrl"] = "https://frontdesk.example.jp/" });
        await ImportOnceAsync(bot.App.Services);
        var user = LineEvents.NewUserId();

        await bot.SendAsync(bot.Events.Text(user, "駒ヶ根市の物件"));
        await bot.TextsToAsync(user, 2);
        var bubbles = bot.Line.DeliveredTo(user).Single(m => m["type"]!.GetValue<string>() == "flex")["contents"]!["contents"]!.AsArray();
        var heroes = bubbles.Select(b => b!["hero"]?["url"]?.GetValue<string>()).OfType<string>().ToList();
        Assert.Equal(["https://frontdesk.example.jp/listings/photos/house-red.png"], heroes);
        Assert.Empty(bot.Line.InvalidCalls);
    }

    [Fact]
    public async Task On_the_kiosk_a_search_shows_a_carousel_of_listing_cards_with_photos()
    {
        await using var kiosk = await KioskTestApp.StartAsync(db, knowledge: false);
        await ImportOnceAsync(kiosk.Services);
        try
        {
            var page = await OpenAsync(chromium.Browser, kiosk);
            await KioskBrowser.StartAsync(page);
            await AskAsync(page, "長野市で探しています");
            await Expect(Chat(page)).ToContainTextAsync("条件: 長野県長野市");
            var cards = page.Locator(".webchat .ac-adaptiveCard", new() { HasText = "この物件について相談する" });
            await Expect(cards.First).ToBeVisibleAsync();
            Assert.True(await cards.CountAsync() >= 2);
            await Expect(Chat(page)).ToContainTextAsync("この物件について相談する");
            var photo = page.Locator(".webchat img[src*='/listings/photos/']").First;
            await Expect(photo).ToBeVisibleAsync();
            Assert.True(await photo.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the listing photo did not load");
            // The picture shows the top of the carousel (photo, place, price), not the bottom Web Chat scrolls to.
            await ScrollSettledAsync(page);
            await cards.First.EvaluateAsync("card => card.scrollIntoView({ block: 'start' })");
            await ScrollSettledAsync(page);
            Directory.CreateDirectory(ScreenshotFolder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, "kiosk-listing-carousel.png") });
            var chatBox = await page.Locator(".webchat-host").BoundingBoxAsync();
            Assert.True(chatBox!.X + chatBox.Width <= 1600, "the carousel pushed the chat panel off the screen");
        }
        finally
        {
            await chromium.CloseContextsAsync();
        }
    }

    [Fact]
    public async Task Listing_photos_are_served_with_safe_headers_and_unknown_names_are_not_found()
    {
        await using var kiosk = await KioskTestApp.StartAsync(db, knowledge: false);
        using var photo = await kiosk.Http.GetAsync("/listings/photos/house-blue.svg");
        photo.EnsureSuccessStatusCode();
        Assert.Equal("image/svg+xml", photo.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", photo.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("default-src 'none'", photo.Headers.GetValues("Content-Security-Policy").Single());
        foreach (var bad in new[] { "/listings/photos/..%2Fappsettings.json", "/listings/photos/nothing.png", "/listings/photos/House.SVG" })
        {
            using var response = await kiosk.Http.GetAsync(bad);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        }
    }
}
