using System.Net;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Handoff;
using FrontDesk.Bot.Staff;
using FrontDesk.Bot.Tests.Registration;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FrontDesk.Bot.Tests.Handoff;

public sealed class CallbackRequestTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    // Saturday 10:00 in Tokyo: the office is closed until Monday 9:00.
    readonly FakeTimeProvider saturday = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(9)).ToUniversalTime());
    BotHost host = null!;

    public async Task InitializeAsync() =>
        host = await BotHost.StartAsync(db.ConnectionString, services: s => s.AddSingleton<TimeProvider>(saturday), settings: RegistrationKeys.Settings());
    public async Task DisposeAsync() => await host.DisposeAsync();

    IReadOnlyList<string> Texts(string user) => host.Sender.TextsTo(user);

    Task PressAsync(string user, string value) => host.PressAsync(user, Commands.Answer, value);

    [Fact]
    public async Task Out_of_hours_the_user_consents_leaves_a_time_and_a_full_width_phone_number_and_is_told_when_we_call()
    {
        await host.SayAsync("cb1", "相談員と話したい");
        Assert.Contains("折り返しを依頼する", Texts("cb1")[^1]);
        Assert.Contains(host.Sender.RepliesTo("cb1")[^1].SuggestedActions, a => a.CommandArgument == CallbackRequests.Offer);

        await PressAsync("cb1", CallbackRequests.Offer);
        Assert.Contains("相談員だけ", Texts("cb1")[^1]);
        Assert.Contains("30日後に削除", Texts("cb1")[^1]);
        await host.SayAsync("cb1", "同意する");
        Assert.Contains("希望時間帯", Texts("cb1")[^1]);
        await PressAsync("cb1", "morning");
        Assert.Contains("電話番号かメールアドレス", Texts("cb1")[^1]);

        await host.SayAsync("cb1", "でんわばんごう");
        Assert.Contains("電話番号（例: 090-1234-5678）かメールアドレスの形", Texts("cb1")[^1]);
        await host.SayAsync("cb1", "０９０－１２３４－５６７８");
        Assert.Contains("連絡先（電話）: 09012345678", Texts("cb1")[^1]);
        Assert.Contains("希望時間帯: 午前（9〜12時）", Texts("cb1")[^1]);
        await host.SayAsync("cb1", "はい");
        Assert.Contains("折り返しのご依頼を承りました", Texts("cb1")[^1]);
        Assert.Contains("11月30日（月）9:00以降", Texts("cb1")[^1]);

        Assert.Equal("phone:午前（9〜12時）", await db.ScalarAsync<string>(
            "select contact_kind || ':' || preferred_time from handoff.callback_requests where conversation_key = 'test:cb1'"));
        // Sealed at rest, and neither the number nor its confirmation is in the transcript.
        Assert.Equal(0, await db.ScalarAsync<long>(
            "select count(*) from handoff.callback_requests where conversation_key = 'test:cb1' and position(convert_to('09012345678', 'UTF8') in contact_sealed) > 0"));
        Assert.Null(await db.ScalarAsync<string>(
            "select string_agg(direction || ':' || coalesce(activity->>'text', '-'), ' | ') from conversation.transcript where conversation_key = 'test:cb1' and (activity::text like '%12345678%' or activity::text like '%５６７８%')"));
        Assert.True(await db.ScalarAsync<bool>(
            "select expires_at = @expected from handoff.callback_requests where conversation_key = 'test:cb1'", ("expected", saturday.GetUtcNow().AddDays(30))));
        // The contact lives only in the staff table: not in the conversation state.
        var state = await db.ScalarAsync<string>("select state::text from conversation.conversations where key = 'test:cb1'");
        Assert.DoesNotContain("09012345678", state);
        Assert.Contains("\"callbackRequested\": true", state);

        // Still in the queue for Monday; the console shows the request to staff and audits the view.
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", settings: RegistrationKeys.Settings());
        await app.Services.GetRequiredService<StaffAccounts>().AddAsync("callback-staff", "折返担当", "coordinator", "callback staff password", CancellationToken.None);
        using var browser = app.CreateBrowser();
        var form = await browser.GetStringAsync("/console/sign-in");
        await browser.PostAsync("/console/sign-in", ConsoleForms.Form(form, ("login", "callback-staff"), ("password", "callback staff password")));
        Assert.Contains("折り返し希望あり", await browser.GetStringAsync("/console"));
        var page = await browser.GetStringAsync("/console/c/test%3Acb1");
        Assert.Contains("09012345678", page);
        Assert.Contains("午前（9〜12時）", page);
        Assert.Equal(1, await db.ScalarAsync<long>("select count(*) from staff.audit where login = 'callback-staff' and action = 'view-callback' and target = 'test:cb1'"));
    }

    [Fact]
    public async Task An_e_mail_address_is_accepted_and_nothing_is_kept_without_confirmation_or_after_back_to_bot()
    {
        await host.SayAsync("cb2", "スタッフと話したい");
        await PressAsync("cb2", CallbackRequests.Offer);
        await host.SayAsync("cb2", "はい");
        await host.SayAsync("cb2", "平日の夕方");
        await host.SayAsync("cb2", "ｈａｎａｋｏ@example.jp");
        // An address alone reads as English, so the confirmation may come in English; the values are what matter.
        Assert.Contains(": hanako@example.jp", Texts("cb2")[^1]);
        Assert.Contains(": 平日の夕方", Texts("cb2")[^1]);

        await host.SayAsync("cb2", "ボットに戻る");
        Assert.Contains("ボットでのご案内に戻りました", Texts("cb2")[^1]);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from handoff.callback_requests where conversation_key = 'test:cb2'"));
        Assert.DoesNotContain("hanako", await db.ScalarAsync<string>("select state::text from conversation.conversations where key = 'test:cb2'"));
    }

    [Fact]
    public async Task Declining_consent_keeps_the_user_waiting_without_a_request()
    {
        await host.SayAsync("cb3", "相談員と話したい");
        await PressAsync("cb3", CallbackRequests.Offer);
        await host.SayAsync("cb3", "やめる");
        Assert.Contains("折り返しのご依頼をやめました", Texts("cb3")[^1]);
        var state = await db.ScalarAsync<string>("select state::text from conversation.conversations where key = 'test:cb3'");
        Assert.Contains("\"status\": \"Waiting\"", state);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from handoff.callback_requests where conversation_key = 'test:cb3'"));
    }

    [Fact]
    public async Task Expired_requests_are_deleted_by_the_retention_job()
    {
        await db.ExecuteAsync("""
            insert into handoff.callback_requests (conversation_key, preferred_time, contact_kind, contact_key, contact_sealed, created_at, expires_at)
            values ('test:cb-old', 'いつでも', 'phone', 'k1', '\x00', @created, @expires)
            """, ("created", saturday.GetUtcNow().AddDays(-31)), ("expires", saturday.GetUtcNow().AddDays(-1)));
        Assert.True(await host.Services.GetRequiredService<CallbackRequests>().DeleteExpiredAsync(CancellationToken.None) >= 1);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from handoff.callback_requests where conversation_key = 'test:cb-old'"));
    }

    [Fact]
    public async Task Without_personal_data_keys_no_callback_is_offered_or_taken()
    {
        await using var keyless = await BotHost.StartAsync(db.ConnectionString, services: s => s.AddSingleton<TimeProvider>(saturday));
        await keyless.SayAsync("cb4", "相談員と話したい");
        Assert.DoesNotContain("折り返しを依頼する", keyless.Sender.TextsTo("cb4")[^1]);
        Assert.DoesNotContain(keyless.Sender.RepliesTo("cb4")[^1].SuggestedActions, a => a.CommandArgument == CallbackRequests.Offer);
        await keyless.SayAsync("cb4", "折り返し");
        Assert.Contains("折り返しのご依頼はお受けできません", keyless.Sender.TextsTo("cb4")[^1]);
        Assert.Contains("\"status\": \"Waiting\"", await db.ScalarAsync<string>("select state::text from conversation.conversations where key = 'test:cb4'"));
    }

    [Theory]
    [InlineData("090-1234-5678", "phone", "09012345678")]
    [InlineData("０３（１２３４）５６７８", "phone", "0312345678")]
    [InlineData("+81 90 1234 5678", "phone", "09012345678")]
    [InlineData("taro.yamada@example.com", "email", "taro.yamada@example.com")]
    public void Contacts_are_read_and_normalised(string input, string kind, string value) =>
        Assert.Equal((kind, value), CallbackRequests.ReadContact(input));

    [Theory]
    [InlineData("12345")]
    [InlineData("090-1234-5678 まで")]
    [InlineData("taro@")]
    [InlineData("<script>@x.y")]
    [InlineData("")]
    public void Anything_else_is_not_a_contact(string input) => Assert.Null(CallbackRequests.ReadContact(input));
}
