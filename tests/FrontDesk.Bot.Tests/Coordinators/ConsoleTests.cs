using System.Net;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Staff;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Coordinators;

public sealed class ConsoleTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    const string Password = "correct horse battery";
    readonly RecordingSender sender = new();
    FrontDeskWebApp app = null!;

    public async Task InitializeAsync()
    {
        app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", services: s => s.AddSingleton<IChannelSender>(sender));
        var accounts = app.Services.GetRequiredService<StaffAccounts>();
        foreach (var login in new[] { "sato", "suzuki", "tanaka" })
        {
            // The database is shared by the tests of this class; the accounts exist after the first one.
            if (await db.ScalarAsync<long>("select count(*) from staff.accounts where login = @l", ("l", login)) == 0)
                await accounts.AddAsync(login, login + "さん", "coordinator", Password, CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    HttpClient Browser() => app.CreateBrowser();

    static async Task<string> TokenAsync(HttpClient http, string path)
    {
        return ConsoleForms.TokenIn(await http.GetStringAsync(path));
    }

    static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string token, params (string, string)[] fields) =>
        await http.PostAsync(path, new FormUrlEncodedContent(fields.Append(("__RequestVerificationToken", token)).Select(f => KeyValuePair.Create(f.Item1, f.Item2))));

    async Task<HttpClient> SignedInAsync(string login)
    {
        var http = Browser();
        var response = await PostAsync(http, "/console/sign-in", await TokenAsync(http, "/console/sign-in"), ("login", login), ("password", Password));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return http;
    }

    Task UserSaysAsync(string user, string text) =>
        app.Services.GetRequiredService<ConversationEngine>().HandleAsync(new ConversationAddress(RecordingSender.ChannelName, user), Activity.Message(text), CancellationToken.None);

    [Theory]
    [InlineData("GET", "/console")]
    [InlineData("GET", "/console/c/test:someone")]
    [InlineData("POST", "/console/c/test:someone/claim")]
    [InlineData("POST", "/console/c/test:someone/reply")]
    [InlineData("POST", "/console/c/test:someone/close")]
    [InlineData("POST", "/console/sign-out")]
    public async Task Every_console_route_refuses_anonymous_visitors(string method, string path)
    {
        using var http = Browser();
        var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/console/sign-in", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_coordinator_signs_in_claims_replies_and_closes_and_every_step_is_audited()
    {
        await UserSaysAsync("visitor1", "相談員と話したい");
        using var sato = await SignedInAsync("sato");
        var queue = await sato.GetStringAsync("/console");
        Assert.Contains("test:visitor1", queue);
        Assert.Contains("待機中", queue);
        Assert.Contains("利用者の希望", queue);

        var page = "/console/c/test%3Avisitor1";
        var token = await TokenAsync(sato, page);
        var claimed = await PostAsync(sato, page + "/claim", token);
        Assert.Equal(HttpStatusCode.Redirect, claimed.StatusCode);
        Assert.Contains("この会話を担当しました", await sato.GetStringAsync(claimed.Headers.Location!.ToString()));
        Assert.Contains("相談員がつながりました", sender.TextsTo("visitor1")[^1]);

        await PostAsync(sato, page + "/reply", token, ("text", "佐藤です。ご希望の地域はありますか？"));
        Assert.Equal("佐藤です。ご希望の地域はありますか？", sender.TextsTo("visitor1")[^1]);
        await UserSaysAsync("visitor1", "松本市を考えています");
        Assert.Contains("松本市を考えています", await sato.GetStringAsync(page));

        await PostAsync(sato, page + "/close", token);
        Assert.Contains("相談員との会話を終了しました", sender.TextsTo("visitor1")[^1]);
        Assert.DoesNotContain("test:visitor1", await sato.GetStringAsync("/console"));

        var actions = await db.ScalarAsync<string>("select string_agg(action, ',' order by id) from staff.audit where login = 'sato' and target = 'test:visitor1'");
        Assert.Equal("view-conversation,claim,view-conversation,message,view-conversation,close", actions);
        Assert.True(await db.ScalarAsync<long>("select count(*) from staff.audit where login = 'sato' and action = 'sign-in'") >= 1);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from staff.audit where coalesce(detail, '') like '%佐藤です%'"));
    }

    [Fact]
    public async Task Two_coordinators_claiming_together_leave_one_owner_and_the_other_is_told()
    {
        await UserSaysAsync("visitor2", "スタッフを呼ぶ");
        using var sato = await SignedInAsync("sato");
        using var suzuki = await SignedInAsync("suzuki");
        var page = "/console/c/test%3Avisitor2";
        var (t1, t2) = (await TokenAsync(sato, page), await TokenAsync(suzuki, page));

        var results = await Task.WhenAll(PostAsync(sato, page + "/claim", t1), PostAsync(suzuki, page + "/claim", t2));
        var notices = await Task.WhenAll(
            sato.GetStringAsync(results[0].Headers.Location!.ToString()), suzuki.GetStringAsync(results[1].Headers.Location!.ToString()));
        Assert.Single(notices, n => n.Contains("この会話を担当しました"));
        Assert.Single(notices, n => n.Contains("ほかの相談員がすでに担当しています"));
    }

    [Fact]
    public async Task Html_and_script_from_a_user_show_as_text_in_the_console()
    {
        await UserSaysAsync("visitor3", "相談員と話したい");
        await UserSaysAsync("visitor3", "<script>alert('x')</script><img src=x onerror=alert(1)>");
        using var tanaka = await SignedInAsync("tanaka");
        foreach (var html in new[] { await tanaka.GetStringAsync("/console"), await tanaka.GetStringAsync("/console/c/test%3Avisitor3") })
        {
            Assert.DoesNotContain("<script>alert", html);
            Assert.DoesNotContain("<img src=x", html);
            Assert.Contains("&lt;script&gt;", html);
        }
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var accounts = app.Services.GetRequiredService<StaffAccounts>();
        await accounts.AddAsync("locked", "ロック確認", "coordinator", Password, CancellationToken.None);
        using var http = Browser();
        for (var i = 0; i < StaffAccounts.MaxFailedAttempts; i++)
        {
            var wrong = await PostAsync(http, "/console/sign-in", await TokenAsync(http, "/console/sign-in"), ("login", "locked"), ("password", "wrong password " + i));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        var right = await PostAsync(http, "/console/sign-in", await TokenAsync(http, "/console/sign-in"), ("login", "locked"), ("password", Password));
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        // Locked answers exactly like a wrong password or an unknown login (no enumeration).
        Assert.Contains(FrontDesk.Bot.Coordinators.ConsoleEndpoints.WrongCredentialsMessage, await right.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        using var sato = await SignedInAsync("sato");
        var response = await sato.PostAsync("/console/c/test%3Avisitor9/close", new FormUrlEncodedContent([]));
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode} {response.Headers.Location}");
    }

    [Fact]
    public async Task Signed_in_staff_may_open_the_jobs_dashboard_in_production()
    {
        using var anonymous = Browser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/hangfire")).StatusCode);
        using var sato = await SignedInAsync("sato");
        Assert.Equal(HttpStatusCode.OK, (await sato.GetAsync("/hangfire")).StatusCode);
    }
}
