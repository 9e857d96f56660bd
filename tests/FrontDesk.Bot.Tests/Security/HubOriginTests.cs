using System.Net;
using FrontDesk.Bot.Staff;
using FrontDesk.Bot.Tests.Kiosk;
using FrontDesk.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace FrontDesk.Bot.Tests.Security;

/// <summary>A page on another port of the same host (same site, other origin) cannot use a coordinator's session on the hub.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HubOriginTests(TestDatabase db, Chromium chromium) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    const string Password = "hub origin password";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => chromium.CloseContextsAsync();

    /// <summary>
    /// What a hostile page would do: open the hub's WebSocket without negotiating (SignalR accepts that), send the
    /// handshake and ask for the queue. It reports "read" with the answer, or "refused" when the socket never opens.
    /// </summary>
    static string AttackerPage(Uri console) => $$"""
        <!doctype html><html><body><p id="state">trying</p><script>
        const report = s => { window.__result = s; document.getElementById('state').textContent = s; };
        const ws = new WebSocket('{{console.ToString().Replace("http://", "ws://")}}console/hub');
        let opened = false;
        ws.onopen = () => { opened = true; ws.send('{"protocol":"json","version":1}\u001e'); };
        ws.onmessage = m => {
          if (m.data.includes('"invocationId":"1"')) report('read:' + m.data);
          else ws.send('{"type":1,"invocationId":"1","target":"Queue","arguments":[]}\u001e');
        };
        ws.onclose = () => { if (!opened) report('refused'); else if (!window.__result) report('closed'); };
        </script></body></html>
        """;

    static async Task<WebApplication> StartOtherOriginAsync(Uri console)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var other = builder.Build();
        other.MapGet("/", () => Results.Content(AttackerPage(console), "text/html; charset=utf-8"));
        await other.StartAsync();
        return other;
    }

    [Fact]
    public async Task A_signed_in_coordinators_browser_refuses_the_hub_to_a_page_of_another_origin_while_the_console_stays_live()
    {
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production");
        await app.Services.GetRequiredService<StaffAccounts>().AddAsync("origin-sato", "佐藤", "coordinator", Password, CancellationToken.None);
        await using var other = await StartOtherOriginAsync(app.ServerAddress);
        var otherOrigin = new Uri(other.Urls.First());
        Assert.NotEqual(app.ServerAddress.Port, otherOrigin.Port);

        var browser = chromium.Browser;
        var context = await browser.NewContextAsync(new() { Locale = "ja-JP" });
        var console = await context.NewPageAsync();
        await console.GotoAsync(new Uri(app.ServerAddress, "/console").ToString());
        await console.GetByLabel("ログインID").FillAsync("origin-sato");
        await console.GetByLabel("パスワード").FillAsync(Password);
        await console.GetByRole(AriaRole.Button, new() { Name = "サインイン" }).ClickAsync();
        await Assertions.Expect(console.Locator("#live")).ToHaveTextAsync("● ライブ");

        // Same browser, same cookie jar: the hostile page on the other port.
        var hostile = await context.NewPageAsync();
        await hostile.GotoAsync(otherOrigin.ToString());
        await hostile.WaitForFunctionAsync("() => window.__result !== undefined", null, new() { Timeout = 20_000 });
        var result = await hostile.EvaluateAsync<string>("window.__result");
        Directory.CreateDirectory(KioskBrowser.ScreenshotFolder);
        await hostile.ScreenshotAsync(new() { Path = Path.Combine(KioskBrowser.ScreenshotFolder, "security-hub-other-origin.png") });
        Assert.Equal("refused", result);

        // The console itself still works live, after the attempt.
        await console.ReloadAsync();
        await Assertions.Expect(console.Locator("#live")).ToHaveTextAsync("● ライブ");
        await console.ScreenshotAsync(new() { Path = Path.Combine(KioskBrowser.ScreenshotFolder, "security-hub-own-origin.png") });
    }

    [Fact]
    public async Task Negotiate_answers_403_to_another_origin_and_works_for_the_own_and_configured_ones()
    {
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", settings: new Dictionary<string, string?>
        {
            ["Console:AllowedOrigins:0"] = "https://console.example.jp",
        });
        await app.Services.GetRequiredService<StaffAccounts>().AddAsync("origin-ito", "伊藤", "coordinator", Password, CancellationToken.None);
        using var http = app.CreateBrowser();
        using (var signedIn = await http.PostAsync("/console/sign-in", ConsoleForms.Form(await http.GetStringAsync("/console/sign-in"), ("login", "origin-ito"), ("password", Password))))
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        async Task<HttpStatusCode> NegotiateAsync(string? origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/console/hub/negotiate?negotiateVersion=1");
            if (origin is not null)
                request.Headers.Add("Origin", origin);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        var own = app.ServerAddress.GetLeftPart(UriPartial.Authority);
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(own));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(null));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync("https://console.example.jp"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync($"http://127.0.0.1:{app.ServerAddress.Port + 1}"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("http://localhost:" + app.ServerAddress.Port));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("null"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("https://evil.example"));
    }
}
