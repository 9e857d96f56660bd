using System.Net;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Staff;
using FrontDesk.Bot.Tests.Registration;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Coordinators;

/// <summary>Transfer, reply limits, internal notes and canned replies: through the hub and through the pages.</summary>
public sealed class ConsoleToolsTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    const string Password = "console tools password";
    readonly RecordingSender sender = new();
    FrontDeskWebApp app = null!;

    public async Task InitializeAsync()
    {
        app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", settings: RegistrationKeys.Settings(),
            services: s => s.AddSingleton<IChannelSender>(sender));
        foreach (var (login, role) in new[] { ("ito", "coordinator"), ("watanabe", "coordinator"), ("chief", "admin") })
        {
            if (await db.ScalarAsync<long>("select count(*) from staff.accounts where login = @l", ("l", login)) == 0)
                await app.Services.GetRequiredService<StaffAccounts>().AddAsync(login, login + "さん", role, Password, CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    async Task<ConversationAddress> WaitingAsync(string user)
    {
        var visitor = new ConversationAddress(RecordingSender.ChannelName, user);
        await app.Services.GetRequiredService<ConversationEngine>().HandleAsync(visitor, Activity.Message("相談員と話したい"), CancellationToken.None);
        return visitor;
    }

    async Task<HttpClient> BrowserAsync(string login)
    {
        var http = app.CreateBrowser();
        var form = await http.GetStringAsync("/console/sign-in");
        Assert.Equal(HttpStatusCode.Redirect, (await http.PostAsync("/console/sign-in", ConsoleForms.Form(form, ("login", login), ("password", Password)))).StatusCode);
        return http;
    }

    [Fact]
    public async Task A_coordinator_transfers_a_conversation_to_a_colleague_who_then_answers_it()
    {
        var visitor = await WaitingAsync("transfer-visitor");
        await using var ito = await HubCoordinator.SignInAsync(app.ServerAddress, "ito", Password);
        await using var watanabe = await HubCoordinator.SignInAsync(app.ServerAddress, "watanabe", Password);
        Assert.True((await ito.InvokeAsync("Claim", visitor.Key)).Ok);

        Assert.False((await ito.InvokeAsync("Transfer", visitor.Key, "nobody")).Ok);
        var transferred = await ito.InvokeAsync("Transfer", visitor.Key, "watanabe");
        Assert.True(transferred.Ok, transferred.Message);
        Assert.Equal("watanabeさん さんに引き継ぎました。", transferred.Message);
        await watanabe.WaitForAsync(c => c.Key == visitor.Key && c.Coordinator == "watanabe", "the colleague sees the conversation is theirs");

        Assert.False((await ito.InvokeAsync("Reply", visitor.Key, "まだ私が担当です")).Ok);
        Assert.True((await watanabe.InvokeAsync("Reply", visitor.Key, "渡辺が引き継ぎました。")).Ok);
        Assert.Equal("渡辺が引き継ぎました。", sender.TextsTo("transfer-visitor")[^1]);
        Assert.DoesNotContain(sender.TextsTo("transfer-visitor"), t => t == "まだ私が担当です");
        Assert.Equal("transfer", await db.ScalarAsync<string>("select action from staff.audit where login = 'ito' and target = @k and detail = 'watanabe'", ("k", visitor.Key)));
    }

    [Fact]
    public async Task A_reply_over_2000_characters_or_an_empty_one_is_refused_with_a_reason_and_nothing_is_sent()
    {
        var visitor = await WaitingAsync("long-reply-visitor");
        await using var ito = await HubCoordinator.SignInAsync(app.ServerAddress, "ito", Password);
        Assert.True((await ito.InvokeAsync("Claim", visitor.Key)).Ok);
        var before = sender.TextsTo("long-reply-visitor").Count;

        var tooLong = await ito.InvokeAsync("Reply", visitor.Key, new string('あ', 2001));
        Assert.False(tooLong.Ok);
        Assert.Contains("2,001文字", tooLong.Message);
        Assert.Contains("2,000文字以内", tooLong.Message);
        var empty = await ito.InvokeAsync("Reply", visitor.Key, "  \n ");
        Assert.False(empty.Ok);
        Assert.Contains("返信が空です", empty.Message);
        Assert.Equal(before, sender.TextsTo("long-reply-visitor").Count);

        var exactly = new string('い', 2000);
        Assert.True((await ito.InvokeAsync("Reply", visitor.Key, exactly)).Ok);
        Assert.Equal(exactly, sender.TextsTo("long-reply-visitor")[^1]); // sent whole, not cut

        // The form says the same.
        using var browser = await BrowserAsync("ito");
        var page = await browser.GetStringAsync("/console/c/test%3Along-reply-visitor");
        var refused = await browser.PostAsync("/console/c/test%3Along-reply-visitor/reply", ConsoleForms.Form(page, ("text", new string('う', 2500))));
        Assert.Contains("返信が長すぎます（2,500文字）", await browser.GetStringAsync(refused.Headers.Location!.ToString()));
        Assert.Equal(exactly, sender.TextsTo("long-reply-visitor")[^1]);
    }

    [Fact]
    public async Task Internal_notes_are_shown_to_staff_audited_and_never_sent_to_the_user()
    {
        var visitor = await WaitingAsync("note-visitor");
        await using var ito = await HubCoordinator.SignInAsync(app.ServerAddress, "ito", Password);
        var before = sender.TextsTo("note-visitor").Count;
        Assert.True((await ito.InvokeAsync("Note", visitor.Key, "前回は松本の物件を見学済み <b>要確認</b>")).Ok);
        Assert.False((await ito.InvokeAsync("Note", visitor.Key, "")).Ok);
        Assert.False((await ito.InvokeAsync("Note", "test:no-such-visitor", "誰にも付かないメモ")).Ok);

        using var browser = await BrowserAsync("watanabe");
        var page = await browser.GetStringAsync("/console/c/test%3Anote-visitor");
        Assert.Contains("前回は松本の物件を見学済み &lt;b&gt;要確認&lt;/b&gt;", page);
        await browser.PostAsync("/console/c/test%3Anote-visitor/note", ConsoleForms.Form(page, ("note", "渡辺: 折り返し希望")));
        Assert.Contains("渡辺: 折り返し希望", await browser.GetStringAsync("/console/c/test%3Anote-visitor"));

        Assert.Equal(before, sender.TextsTo("note-visitor").Count);
        Assert.DoesNotContain(sender.TextsTo("note-visitor"), t => t.Contains("見学済み"));
        Assert.Equal(2, await db.ScalarAsync<long>("select count(*) from staff.audit where action = 'note' and target = @k", ("k", visitor.Key)));
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from staff.audit where detail like '%見学済み%'"));
        // Sealed at rest with the personal-data keys.
        Assert.Equal(2, await db.ScalarAsync<long>("select count(*) from handoff.notes where conversation_key = @k and text is null and sealed is not null", ("k", visitor.Key)));
        Assert.Equal(0, await db.ScalarAsync<long>(
            "select count(*) from handoff.notes where position(convert_to('見学済み', 'UTF8') in sealed) > 0 or position(convert_to('渡辺', 'UTF8') in sealed) > 0"));
    }

    [Fact]
    public async Task Admins_manage_canned_replies_coordinators_pick_them_and_may_not_edit_them()
    {
        using var chief = await BrowserAsync("chief");
        var page = await chief.GetStringAsync("/console/canned");
        await chief.PostAsync("/console/canned", ConsoleForms.Form(page, ("title", "受付時間"), ("body", "受付は平日9時から17時です。")));
        page = await chief.GetStringAsync("/console/canned");
        Assert.Contains("受付は平日9時から17時です。", page);
        var id = await db.ScalarAsync<long>("select id from handoff.canned_responses where title = '受付時間'");
        await chief.PostAsync("/console/canned", ConsoleForms.Form(page, ("id", id.ToString()), ("title", "受付時間"), ("body", "受付は平日9時から17時までです。")));
        var refused = await chief.PostAsync("/console/canned", ConsoleForms.Form(page, ("title", "空"), ("body", "")));
        Assert.Contains("題名と本文の両方", await chief.GetStringAsync(refused.Headers.Location!.ToString()));
        await chief.PostAsync("/console/canned", ConsoleForms.Form(page, ("title", "消す予定"), ("body", "削除されます。")));
        var doomed = await db.ScalarAsync<long>("select id from handoff.canned_responses where title = '消す予定'");
        await chief.PostAsync($"/console/canned/{doomed}/delete", ConsoleForms.Form(page));

        var visitor = await WaitingAsync("canned-visitor");
        await using var ito = await HubCoordinator.SignInAsync(app.ServerAddress, "ito", Password);
        Assert.True((await ito.InvokeAsync("Claim", visitor.Key)).Ok);
        using var coordinator = await BrowserAsync("ito");
        var conversation = await coordinator.GetStringAsync("/console/c/test%3Acanned-visitor");
        Assert.Contains("<option value=\"受付は平日9時から17時までです。\">受付時間</option>", conversation);
        Assert.DoesNotContain("消す予定", conversation);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.GetAsync("/console/canned")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.PostAsync("/console/canned", ConsoleForms.Form(conversation, ("title", "x"), ("body", "y")))).StatusCode);
        Assert.Equal("canned-add,canned-edit,canned-add,canned-delete",
            await db.ScalarAsync<string>("select string_agg(action, ',' order by id) from staff.audit where login = 'chief' and action like 'canned%'"));
    }

    [Fact]
    public async Task Staff_search_past_conversations_by_date_channel_and_keyword_and_each_search_is_audited()
    {
        var engine = app.Services.GetRequiredService<ConversationEngine>();
        await engine.HandleAsync(new ConversationAddress(RecordingSender.ChannelName, "search-akiya"), Activity.Message("空き家バンクの改修補助について"), CancellationToken.None);
        await engine.HandleAsync(new ConversationAddress(RecordingSender.ChannelName, "search-school"), Activity.Message("転校の手続きを知りたい"), CancellationToken.None);
        using var browser = await BrowserAsync("watanabe");
        var today = FrontDesk.Jobs.JapanTime.Today(TimeProvider.System);
        var range = $"from={today.AddDays(-1):yyyy-MM-dd}&to={today:yyyy-MM-dd}";

        var found = await browser.GetStringAsync($"/console/search?{range}&q={Uri.EscapeDataString("改修補助")}");
        Assert.Contains("test:search-akiya", found);
        Assert.Contains("空き家バンクの改修補助について", found);
        Assert.DoesNotContain("test:search-school", found);

        var all = await browser.GetStringAsync($"/console/search?{range}&q=");
        Assert.Contains("test:search-akiya", all);
        Assert.Contains("test:search-school", all);
        Assert.DoesNotContain("test:search-", await browser.GetStringAsync($"/console/search?{range}&channel=line"));
        Assert.DoesNotContain("test:search-", await browser.GetStringAsync($"/console/search?from={today.AddDays(-30):yyyy-MM-dd}&to={today.AddDays(-20):yyyy-MM-dd}"));
        // A keyword is taken literally: LIKE wildcards match nothing special.
        Assert.DoesNotContain("test:search-", await browser.GetStringAsync($"/console/search?{range}&q=%25"));

        var bad = await browser.GetAsync($"/console/search?from={today:yyyy-MM-dd}&to={today.AddDays(-3):yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("終了日は開始日以降", await bad.Content.ReadAsStringAsync());

        var audits = await db.ScalarAsync<long>("select count(*) from staff.audit where login = 'watanabe' and action = 'search'");
        Assert.Equal(5, audits);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from staff.audit where action = 'search' and detail like '%改修%'"));
    }

    [Fact]
    public async Task Console_pages_allow_scripts_only_from_this_host()
    {
        using var browser = await BrowserAsync("ito");
        using var response = await browser.GetAsync("/console");
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        var directives = policy.Split(';').Select(d => d.Trim()).ToList();
        Assert.Contains("script-src 'self'", directives);
        Assert.Contains("frame-ancestors 'none'", directives);
    }
}
