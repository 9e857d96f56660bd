using System.Net;
using System.Text;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Registration;
using FrontDesk.Bot.Staff;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Registration;

public sealed class RegistrationConsoleTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    const string Password = "correct horse battery";
    readonly RecordingSender sender = new();
    FrontDeskWebApp app = null!;

    public async Task InitializeAsync()
    {
        app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", settings: RegistrationKeys.Settings(),
            services: s => s.AddSingleton<IChannelSender>(sender));
        var accounts = app.Services.GetRequiredService<StaffAccounts>();
        foreach (var (login, role) in new[] { ("kato", "admin"), ("ito", "coordinator") })
            if (await db.ScalarAsync<long>("select count(*) from staff.accounts where login = @l", ("l", login)) == 0)
                await accounts.AddAsync(login, login + "さん", role, Password, CancellationToken.None);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    RegistrationScript Person(string name, string kana, string email, string phone) =>
        new(app.Services.GetRequiredService<ConversationEngine>(), sender, "c-" + Guid.NewGuid().ToString("N")[..10])
        {
            Name = name, Kana = kana, Email = email, Phone = phone,
        };

    async Task<HttpClient> SignedInAsync(string login)
    {
        var http = app.CreateBrowser();
        var page = await http.GetStringAsync("/console/sign-in");
        var response = await http.PostAsync("/console/sign-in", ConsoleForms.Form(page, ("login", login), ("password", Password)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return http;
    }

    Task<string?> AuditAsync(string login, string action) =>
        db.ScalarAsync<string>("select string_agg(coalesce(target, '') || '|' || coalesce(detail, ''), ';' order by id) from staff.audit where login = @l and action = @a",
            ("l", login), ("a", action));

    [Fact]
    public async Task Only_the_registrar_role_sees_registrations_and_anonymous_visitors_are_sent_to_sign_in()
    {
        await Person("岡田 柚", "おかだ ゆず", "yuzu.okada@example.org", "09011112222").RegisterAsync();
        using (var anonymous = app.CreateBrowser())
        {
            var response = await anonymous.GetAsync("/console/registrations");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/console/sign-in", response.Headers.Location!.PathAndQuery);
        }
        using var coordinator = await SignedInAsync("ito");
        var refused = await coordinator.GetAsync("/console/registrations");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.DoesNotContain("岡田", await refused.Content.ReadAsStringAsync());
        Assert.NotEqual(HttpStatusCode.OK, (await coordinator.GetAsync("/console/registrations/export.csv")).StatusCode);
    }

    [Fact]
    public async Task A_registrar_lists_searches_and_opens_a_registration_logs_involvement_and_every_view_is_audited()
    {
        var number = await Person("森 千景", "もり ちかげ", "chikage.mori@example.org", "080-3333-4444").RegisterAsync();
        using var kato = await SignedInAsync("kato");
        var list = await kato.GetStringAsync("/console/registrations");
        Assert.Contains("森 千景", list);
        var found = await kato.GetStringAsync("/console/registrations?q=" + Uri.EscapeDataString("ちかげ"));
        Assert.Contains(number, found);
        var byPhone = await kato.GetStringAsync("/console/registrations?q=" + Uri.EscapeDataString("080-3333-4444"));
        Assert.Contains(number, byPhone);
        Assert.DoesNotContain(number, await kato.GetStringAsync("/console/registrations?q=" + Uri.EscapeDataString("存在しない人")));

        var id = await db.ScalarAsync<long>("select id from registration.registrations where number = @n", ("n", number));
        var detail = await kato.GetStringAsync($"/console/registrations/{id}");
        Assert.Contains("chikage.mori@example.org", detail);
        Assert.Contains("登録のみ", detail);
        foreach (var (kind, on) in new[] { ("visit", "2026-10-03"), ("stay", "2026-11-01") })
        {
            var posted = await kato.PostAsync($"/console/registrations/{id}/involvements", ConsoleForms.Form(detail, ("kind", kind), ("on", on), ("note", "松本城のイベントで")));
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }
        detail = await kato.GetStringAsync($"/console/registrations/{id}");
        Assert.Contains("継続的", detail);
        Assert.Contains("2026-11-01 滞在", detail);

        Assert.Contains(number, await AuditAsync("kato", "view-registration"));
        Assert.Contains("rows=", await AuditAsync("kato", "search-registrations"));
        Assert.Contains($"{number}|stay", await AuditAsync("kato", "add-involvement"));
        var audit = await db.ScalarAsync<string>("select string_agg(coalesce(target, '') || coalesce(detail, ''), ';') from staff.audit");
        Assert.DoesNotContain("ちかげ", audit);
        Assert.DoesNotContain("3333", audit);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from registration.involvements where position(convert_to('松本城', 'UTF8') in note) > 0"));
    }

    [Fact]
    public async Task The_csv_export_is_utf8_with_bom_has_the_documented_columns_defuses_formulas_and_is_audited()
    {
        var number = await Person("=HYPERLINK 花", "はな", "hana.export@example.org", "0312345678").RegisterAsync();
        Assert.Equal("", number); // a name starting with "=" is refused by the form
        number = await Person("今井 花", "いまい はな", "hana.export@example.org", "0312345678").RegisterAsync();

        using var kato = await SignedInAsync("kato");
        var response = await kato.GetAsync("/console/registrations/export.csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal(string.Join(',', RegistrationConsole.CsvColumns), lines[0]);
        Assert.Equal("registration_number,registered_at,channel,plan,name_kanji,name_kana,email,phone,postal_code,address,birth_year,relations,municipalities,topics,involvement_count,engagement_level", lines[0]);
        var row = Assert.Single(lines, l => l.StartsWith(number + ",", StringComparison.Ordinal)).Split(',');
        Assert.Equal(RegistrationConsole.CsvColumns.Length, row.Length);
        Assert.Equal(["今井 花", "イマイ ハナ", "hana.export@example.org", "0312345678", "3900874", "長野県松本市大手", "1985", "origin;tourism", "松本市;安曇野市", "premium"],
            [row[4], row[5], row[6], row[7], row[8], row[9], row[10], row[11], row[12], row[3]]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$", row[1]);
        Assert.Equal("", lines[^1]);

        Assert.Equal("'=SUM(A1)", RegistrationConsole.Cell("=SUM(A1)"));
        Assert.Equal("\"a,\"\"b\"\"\"", RegistrationConsole.Cell("a,\"b\""));
        Assert.Matches(@"^\|rows=\d+$", (await AuditAsync("kato", "export-registrations"))!.Split(';')[^1]);
    }

    [Fact]
    public async Task Registrations_with_the_same_email_are_offered_for_merging_and_the_merge_keeps_one()
    {
        var first = await Person("石川 湊", "いしかわ みなと", "minato.dup@example.org", "09055556666").RegisterAsync();
        var second = await Person("石川 湊", "いしかわ みなと", "Minato.Dup@example.org", "09055556666").RegisterAsync();
        using var kato = await SignedInAsync("kato");
        var list = await kato.GetStringAsync("/console/registrations");
        Assert.Contains("重複の可能性", list);
        var (keep, other) = (await db.ScalarAsync<long>("select id from registration.registrations where number = @n", ("n", first)),
            await db.ScalarAsync<long>("select id from registration.registrations where number = @n", ("n", second)));
        var merged = await kato.PostAsync("/console/registrations/merge", ConsoleForms.Form(list, ("keep", keep.ToString()), ("other", other.ToString())));
        Assert.Equal(HttpStatusCode.Redirect, merged.StatusCode);
        list = await kato.GetStringAsync(merged.Headers.Location!.ToString());
        Assert.Contains($"{second} を {first} に統合しました", list);
        Assert.DoesNotContain($">{second}<", list);
        Assert.Equal(HttpStatusCode.NotFound, (await kato.GetAsync($"/console/registrations/{other}")).StatusCode);
        Assert.Equal($"{first}|{second}", await AuditAsync("kato", "merge-registrations"));

        // Merging again is refused without harm.
        var again = await kato.PostAsync("/console/registrations/merge", ConsoleForms.Form(list, ("keep", keep.ToString()), ("other", other.ToString())));
        Assert.Contains("統合できませんでした", Uri.UnescapeDataString(again.Headers.Location!.ToString()));
    }

    [Fact]
    public async Task A_coordinator_sees_the_draft_of_a_conversation_handed_over_mid_form_and_the_view_is_audited()
    {
        var p = Person("西田 楓", "にしだ かえで", "kaede.nishida@example.org", "09077778888");
        await p.AnswerUntilAsync("birthYear");
        using var ito = await SignedInAsync("ito");
        var key = "test:" + p.User;
        Assert.Equal(HttpStatusCode.NotFound, (await ito.GetAsync("/console/registrations/draft?conversation=" + Uri.EscapeDataString(key))).StatusCode);

        await p.SayAsync("相談員と話したい");
        var queue = await ito.GetStringAsync("/console");
        Assert.Contains("ふるさと住民登録の入力中", queue);
        Assert.DoesNotContain("西田", queue);
        var draft = await ito.GetStringAsync("/console/registrations/draft?conversation=" + Uri.EscapeDataString(key));
        Assert.Contains("西田 楓", draft);
        Assert.Contains("長野県松本市大手", draft);
        Assert.Equal(key + "|", await AuditAsync("ito", "view-registration-draft"));
    }

    [Fact]
    public async Task The_privacy_notice_page_is_served_by_the_host()
    {
        using var http = app.CreateBrowser();
        var page = await http.GetStringAsync(PrivacyNotice.Path);
        Assert.Contains("ふるさと住民登録 個人情報の取り扱い", page);
        Assert.Contains(PrivacyNotice.Version, page);
        Assert.Contains("保管期間", page);
    }
}
