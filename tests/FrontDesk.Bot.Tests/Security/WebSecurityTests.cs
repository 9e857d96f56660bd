using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FrontDesk.Bot.Coordinators;
using FrontDesk.Bot.Staff;
using FrontDesk.Bot.Tests.Kiosk;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Security;

/// <summary>Console forms without a valid antiforgery token, and the host behind a TLS proxy.</summary>
public sealed class WebSecurityTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    const string Password = "web security password";

    public static readonly TheoryData<string, string[]> Forms = new()
    {
        { "/console/sign-out", [] },
        { "/console/c/test%3Aaf-visitor/claim", [] },
        { "/console/c/test%3Aaf-visitor/reply", ["text"] },
        { "/console/c/test%3Aaf-visitor/release", [] },
        { "/console/c/test%3Aaf-visitor/transfer", ["to"] },
        { "/console/c/test%3Aaf-visitor/close", [] },
        { "/console/c/test%3Aaf-visitor/note", ["note"] },
        { "/console/canned/", ["title", "body"] },
        { "/console/canned/1/delete", [] },
        { "/console/registrations/1/involvements", ["kind", "on", "note"] },
        { "/console/registrations/1/delete", [] },
        { "/console/registrations/merge", ["keep", "other"] },
        { "/console/sign-in", ["login", "password"] },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task A_console_form_without_a_valid_antiforgery_token_gets_400_with_a_clear_message(string path, string[] fields)
    {
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", settings: RegistrationKeySettings());
        var login = "af" + Guid.NewGuid().ToString("N")[..10];
        await app.Services.GetRequiredService<StaffAccounts>().AddAsync(login, "管理者", "admin", Password, CancellationToken.None);
        using var http = app.CreateBrowser();
        using (var signedIn = await http.PostAsync("/console/sign-in", ConsoleForms.Form(await http.GetStringAsync("/console/sign-in"), ("login", login), ("password", Password))))
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        // A token that is valid, but for another browser's antiforgery cookie.
        using var other = app.CreateBrowser();
        var foreignToken = ConsoleForms.TokenIn(await other.GetStringAsync("/console/sign-in"));

        var values = fields.Select(f => (f, f is "keep" or "other" ? "1" : f == "on" ? "2026-12-01" : "値")).ToArray();
        foreach (var token in new[] { null, "", "garbage-token", foreignToken })
        {
            var form = token is null ? values : [.. values, ("__RequestVerificationToken", token)];
            using var response = await http.PostAsync(path, new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Item1, f.Item2))));
            var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} with token '{token}': {response.StatusCode} {body[..Math.Min(200, body.Length)]}");
            Assert.Contains(ConsoleEndpoints.FormExpiredMessage, body);
        }
        // Not a form at all, or an empty body: still the client's error.
        using (var json = await http.PostAsync(path, JsonContent.Create(new { text = "x" })))
            Assert.InRange((int)json.StatusCode, 400, 499);
        using (var empty = await http.PostAsync(path, null))
            Assert.InRange((int)empty.StatusCode, 400, 499);

        // Still signed in and nothing happened: no note, no canned reply.
        using var queue = await http.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from handoff.notes where conversation_key = 'test:af-visitor'"));
    }

    static Dictionary<string, string?> RegistrationKeySettings() => new(FrontDesk.Bot.Tests.Registration.RegistrationKeys.Settings());

    static HttpClient Raw(Uri server) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server };

    static HttpRequestMessage ViaProxy(HttpMethod method, string path, bool https)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = "frontdesk.example.jp";
        if (https)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        }
        return request;
    }

    static string? CookieHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal)) : null;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Behind_a_known_TLS_proxy_cookies_are_Secure_HSTS_is_sent_and_the_kiosk_stream_is_wss(bool trusted)
    {
        // The test client is 127.0.0.1; trusted makes it the known proxy, otherwise only some other address is.
        await using var kiosk = await KioskTestApp.StartAsync(db, new Dictionary<string, string?>
        {
            ["Web:KnownProxies:0"] = trusted ? "127.0.0.1" : "10.20.30.40",
            ["Web:KnownNetworks:0"] = trusted ? "127.0.0.0/8" : "192.0.2.0/24",
        }, knowledge: false);
        var login = "px" + Guid.NewGuid().ToString("N")[..10];
        await kiosk.Services.GetRequiredService<StaffAccounts>().AddAsync(login, "プロキシ", "coordinator", Password, CancellationToken.None);
        using var http = Raw(kiosk.App.ServerAddress);

        using var form = await http.SendAsync(ViaProxy(HttpMethod.Get, "/console/sign-in", https: true));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var antiforgery = CookieHeader(form, "frontdesk.af")!;
        Assert.Equal(trusted, antiforgery.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(trusted, form.Headers.Contains("Strict-Transport-Security"));

        var signIn = ViaProxy(HttpMethod.Post, "/console/sign-in", https: true);
        signIn.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        signIn.Content = ConsoleForms.Form(await form.Content.ReadAsStringAsync(), ("login", login), ("password", Password));
        using var signedIn = await http.SendAsync(signIn);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var staff = CookieHeader(signedIn, "frontdesk.staff")!;
        Assert.Equal(trusted, staff.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("httponly", staff, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", staff, StringComparison.OrdinalIgnoreCase);

        var start = ViaProxy(HttpMethod.Post, "/v3/directline/conversations", https: true);
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", KioskTestApp.DeviceKey);
        start.Content = JsonContent.Create(new JsonObject());
        using var started = await http.SendAsync(start);
        Assert.True(started.IsSuccessStatusCode, started.StatusCode.ToString());
        var streamUrl = (await started.Content.ReadFromJsonAsync<JsonObject>())!["streamUrl"]!.GetValue<string>();
        Assert.StartsWith(trusted ? "wss://frontdesk.example.jp/" : "ws://frontdesk.example.jp/", streamUrl);

        // Plain http through the same proxy: no HSTS (it is only ever sent over https) and ws://.
        using var plain = await http.SendAsync(ViaProxy(HttpMethod.Get, "/console/sign-in", https: false));
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_privacy_notice_has_the_same_security_headers_as_the_console()
    {
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", settings: RegistrationKeySettings());
        using var http = Raw(app.ServerAddress);
        using var console = await http.GetAsync("/console/sign-in");
        using var privacy = await http.GetAsync("/privacy/furusato");
        Assert.Equal(HttpStatusCode.OK, privacy.StatusCode);
        foreach (var header in new[] { "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy" })
        {
            Assert.True(privacy.Headers.Contains(header), header);
            Assert.Equal(console.Headers.GetValues(header), privacy.Headers.GetValues(header));
        }
    }
}
