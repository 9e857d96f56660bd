using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using FrontDesk.Bot.Coordinators;
using FrontDesk.Bot.Staff;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FrontDesk.Bot.Tests.Security;

/// <summary>Sessions that end, a lockout that cannot be raced, and sign-in answers that do not tell logins apart.</summary>
public sealed partial class StaffSessionTests(TestDatabase db, ITestOutputHelper output) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    const string Password = "session test password";
    FrontDeskWebApp app = null!;

    public Task InitializeAsync()
    {
        // Limits out of the way here: this class is about the lockout and sessions, the limits have their own test.
        app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", settings: new Dictionary<string, string?>
        {
            ["Staff:SignInsPerAddressPerMinute"] = "10000",
            ["Staff:SignInsPerLoginPerMinute"] = "10000",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    StaffAccounts Accounts => app.Services.GetRequiredService<StaffAccounts>();

    async Task<string> NewAccountAsync(string prefix, string role = "coordinator")
    {
        var login = $"{prefix}{Guid.NewGuid():N}"[..20];
        await Accounts.AddAsync(login, "テスト", role, Password, CancellationToken.None);
        return login;
    }

    async Task<(HttpClient Http, CookieContainer Cookies)> SignedInAsync(string login)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = app.ServerAddress };
        using var response = await SignInAsync(http, login, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (http, cookies);
    }

    static async Task<HttpResponseMessage> SignInAsync(HttpClient http, string login, string password) =>
        await http.PostAsync("/console/sign-in", ConsoleForms.Form(await http.GetStringAsync("/console/sign-in"), ("login", login), ("password", password)));

    /// <summary>A client that only carries a copy of the staff cookie, as someone who copied it would.</summary>
    HttpClient Replaying(CookieContainer from)
    {
        var cookie = from.GetCookies(app.ServerAddress)["frontdesk.staff"]!;
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.ServerAddress };
        http.DefaultRequestHeaders.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        return http;
    }

    static async Task<bool> WorksAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/console");
        return response.StatusCode == HttpStatusCode.OK;
    }

    static async Task<HttpStatusCode> NegotiateAsync(HttpClient http)
    {
        using var response = await http.PostAsync("/console/hub/negotiate?negotiateVersion=1", null);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_replayed_cookie_is_refused_after_sign_out()
    {
        var login = await NewAccountAsync("out");
        var (http, cookies) = await SignedInAsync(login);
        using var copy = Replaying(cookies);
        Assert.True(await WorksAsync(copy));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(copy));

        var page = await http.GetStringAsync("/console");
        using (var signedOut = await http.PostAsync("/console/sign-out", ConsoleForms.Form(page)))
            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        using var again = await copy.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.StartsWith("/console/sign-in", again.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, await NegotiateAsync(copy));
        http.Dispose();
    }

    [Fact]
    public async Task A_replayed_cookie_is_refused_after_the_account_is_disabled_and_the_login_then_fails_like_an_unknown_one()
    {
        var login = await NewAccountAsync("dis");
        var (http, cookies) = await SignedInAsync(login);
        using var copy = Replaying(cookies);
        Assert.True(await WorksAsync(copy));

        Assert.True(await Accounts.DisableAsync(login, CancellationToken.None));
        Assert.False(await WorksAsync(copy));
        Assert.False(await WorksAsync(http));
        Assert.Equal(HttpStatusCode.Unauthorized, await NegotiateAsync(copy));
        using var fresh = app.CreateBrowser();
        using var refused = await SignInAsync(fresh, login, Password);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(ConsoleEndpoints.WrongCredentialsMessage, ErrorOf(await refused.Content.ReadAsStringAsync()));
        http.Dispose();
    }

    [Fact]
    public async Task A_new_password_or_role_ends_the_sessions_of_the_account()
    {
        var login = await NewAccountAsync("chg");
        var (first, _) = await SignedInAsync(login);
        await Accounts.SetRoleAsync(login, "admin", CancellationToken.None);
        Assert.False(await WorksAsync(first));

        var (second, _) = await SignedInAsync(login);
        using var canned = await second.GetAsync("/console/canned/");
        Assert.Equal(HttpStatusCode.OK, canned.StatusCode);
        await Accounts.SetPasswordAsync(login, "a brand new password", CancellationToken.None);
        Assert.False(await WorksAsync(second));
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public async Task Forty_parallel_wrong_passwords_count_exactly_five_failures_and_then_the_account_is_locked()
    {
        var login = await NewAccountAsync("race");
        using var http = app.CreateBrowser();
        var page = await http.GetStringAsync("/console/sign-in");
        var attempts = Enumerable.Range(0, 40).Select(async i =>
        {
            using var response = await http.PostAsync("/console/sign-in", ConsoleForms.Form(page, ("login", login), ("password", "wrong password " + i)));
            return (response.StatusCode, ErrorOf(await response.Content.ReadAsStringAsync()));
        });
        var answers = await Task.WhenAll(attempts);
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.Unauthorized, ConsoleEndpoints.WrongCredentialsMessage), a));

        Assert.Equal(5, await db.ScalarAsync<int>("select failed_attempts from staff.accounts where login = @l", ("l", login)));
        Assert.True(await db.ScalarAsync<bool>("select locked_until > now() from staff.accounts where login = @l", ("l", login)));
        Assert.Equal(5, await db.ScalarAsync<long>("select count(*) from staff.audit where login = @l and action = 'sign-in-attempt'", ("l", login)));

        using var right = await SignInAsync(http, login, Password);
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Equal(5, await db.ScalarAsync<int>("select failed_attempts from staff.accounts where login = @l", ("l", login)));
    }

    [Fact]
    public async Task Unknown_wrong_locked_and_disabled_logins_get_the_same_answer_and_cost_about_the_same()
    {
        var known = await NewAccountAsync("known");
        var locked = await NewAccountAsync("locked");
        await db.ExecuteAsync("update staff.accounts set failed_attempts = 5, locked_until = now() + interval '15 minutes' where login = @l", ("l", locked));
        var disabled = await NewAccountAsync("disabled");
        await Accounts.DisableAsync(disabled, CancellationToken.None);
        using var http = app.CreateBrowser();

        async Task<(HttpStatusCode, string?, double)> TryAsync(string login)
        {
            var form = ConsoleForms.Form(await http.GetStringAsync("/console/sign-in"), ("login", login), ("password", "not the password"));
            var clock = Stopwatch.StartNew();
            using var response = await http.PostAsync("/console/sign-in", form);
            var ms = clock.Elapsed.TotalMilliseconds;
            return (response.StatusCode, ErrorOf(await response.Content.ReadAsStringAsync()), ms);
        }

        var unknown = await TryAsync("nobody-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var login in new[] { known, locked, disabled })
        {
            var answer = await TryAsync(login);
            Assert.Equal((unknown.Item1, unknown.Item2), (answer.Item1, answer.Item2));
        }
        Assert.Equal(ConsoleEndpoints.WrongCredentialsMessage, unknown.Item2);

        // Timing: alternate unknown and known-but-wrong; the ratio of medians goes to the test output (not asserted).
        var unknownMs = new List<double>();
        var knownMs = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            await db.ExecuteAsync("update staff.accounts set failed_attempts = 0, locked_until = null where login = @l", ("l", known));
            unknownMs.Add((await TryAsync("nobody-" + i)).Item3);
            knownMs.Add((await TryAsync(known)).Item3);
        }
        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        output.WriteLine($"sign-in timing: unknown login median {Median(unknownMs):F1} ms, known login with a wrong password median {Median(knownMs):F1} ms, ratio {Median(unknownMs) / Median(knownMs):F2}");
    }

    [Fact]
    public async Task Sign_in_is_rate_limited_per_login_and_per_address_with_a_clear_message()
    {
        await using var limited = new FrontDeskWebApp(db.ConnectionString, environment: "Production", settings: new Dictionary<string, string?>
        {
            ["Staff:SignInsPerAddressPerMinute"] = "6",
            ["Staff:SignInsPerLoginPerMinute"] = "3",
        });
        using var http = limited.CreateBrowser();
        var page = await http.GetStringAsync("/console/sign-in");
        async Task<(HttpStatusCode Status, string Body)> TryAsync(string login)
        {
            using var response = await http.PostAsync("/console/sign-in", ConsoleForms.Form(page, ("login", login), ("password", "whatever it is")));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync("target")).Status);
        var byLogin = await TryAsync("Target ");
        Assert.Equal(HttpStatusCode.TooManyRequests, byLogin.Status);
        Assert.Contains(SignInLimits.Message, System.Net.WebUtility.HtmlDecode(byLogin.Body));

        // Another login from the same address: allowed until the address's own budget (6) is spent.
        Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync("someone-else")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync("third-person")).Status);
        var byAddress = await TryAsync("fourth-person");
        Assert.Equal(HttpStatusCode.TooManyRequests, byAddress.Status);
        Assert.Contains(SignInLimits.Message, byAddress.Body);
    }

    static string? ErrorOf(string html) => ErrorParagraph().Match(html) is { Success: true } m ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("<p class=\"error\">([^<]*)</p>")]
    private static partial Regex ErrorParagraph();
}
