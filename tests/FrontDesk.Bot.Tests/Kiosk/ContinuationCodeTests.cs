using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Kiosk;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Kiosk;

/// <summary>"LINEで続ける": a code shown at the kiosk, sent from another channel, carries the conversation over.</summary>
public sealed class ContinuationCodeTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    KioskTestApp kiosk = null!;

    public async Task InitializeAsync() => kiosk = await KioskTestApp.StartAsync(db, knowledge: false);
    public async Task DisposeAsync() => await kiosk.DisposeAsync();

    ConversationEngine Engine => kiosk.Services.GetRequiredService<ConversationEngine>();

    Task SayOnLineAsync(string user, string text) =>
        Engine.HandleAsync(new ConversationAddress(RecordingSender.ChannelName, user), Activity.Message(text), CancellationToken.None);

    async Task<JsonObject> IssueAsync(string token)
    {
        using var response = await kiosk.SendAsync(HttpMethod.Post, "/kiosk/api/continuation", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    Task PostAsync(string id, string token, string json) => PostAsync(kiosk, id, token, json);

    static async Task PostAsync(KioskTestApp app, string id, string token, string json)
    {
        using var response = await app.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, json);
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_code_sent_on_another_channel_carries_over_the_questionnaire_in_progress_once()
    {
        var (id, token) = await kiosk.StartAsync();
        await PostAsync(id, token, """{"type":"message","from":{"id":"v"},"value":{"cmd":"language","arg":"en"}}""");
        await PostAsync(id, token, """{"type":"message","from":{"id":"v"},"value":{"cmd":"flow","arg":"intake"}}""");
        await PostAsync(id, token, """{"type":"message","from":{"id":"v"},"value":{"cmd":"answer","arg":"dual"}}""");
        await kiosk.WaitForBotAsync(id, token, a => a["text"]?.GetValue<string>().Contains("(2/4)") == true);

        var issued = await IssueAsync(token);
        var code = issued["code"]!.GetValue<string>();
        Assert.Matches("^FD-[A-HJ-NP-Z2-9]{6}$", code);
        Assert.StartsWith("https://line.me/R/oaMessage/@frontdesk-test/?", issued["url"]!.GetValue<string>());
        Assert.Contains(Uri.EscapeDataString(code), issued["url"]!.GetValue<string>());

        // Typed with full-width characters and lower case, inside a sentence, as a phone keyboard might.
        var typed = "引き継ぎコード " + code.ToLowerInvariant().Replace("fd-", "ｆｄ－");
        await SayOnLineAsync("line-user-1", typed);
        var replies = kiosk.Sender.TextsTo("line-user-1");
        Assert.Contains(replies, r => r.Contains("carried over"));
        Assert.Contains("(2/4)", replies[^1]);

        var state = JsonSerializer.Deserialize<ConversationState>(
            (await db.ScalarAsync<string>("select state::text from conversation.conversations where key = 'test:line-user-1'"))!, ConversationEngine.Json)!;
        Assert.Equal("en", state.Language);
        Assert.Equal("intake", state.ActiveFlow!.Flow);
        Assert.Equal("dual", state.ActiveFlow.Values["interest"]);

        // The kiosk page sees that the code was used.
        using var status = await kiosk.SendAsync(HttpMethod.Get, $"/kiosk/api/continuation/{code}", token);
        Assert.True((await status.Content.ReadFromJsonAsync<JsonObject>())!["used"]!.GetValue<bool>());

        // It works once: someone else sending the same code is refused.
        await SayOnLineAsync("line-user-2", code);
        Assert.Contains("お使いいただけません", kiosk.Sender.TextsTo("line-user-2")[^1]);
        Assert.Null(await db.ScalarAsync<string>("select state->'flows'->0->>'flow' from conversation.conversations where key = 'test:line-user-2'"));
    }

    [Fact]
    public async Task A_registration_form_in_progress_stays_on_the_kiosk_and_the_person_is_told_so()
    {
        await using var withRegistration = await KioskTestApp.StartAsync(db, FrontDesk.Bot.Tests.Registration.RegistrationKeys.Settings(), knowledge: false);
        var (id, token) = await withRegistration.StartAsync();
        await PostAsync(withRegistration, id, token, """{"type":"message","from":{"id":"v"},"value":{"cmd":"flow","arg":"furusato"}}""");
        await PostAsync(withRegistration, id, token, """{"type":"message","from":{"id":"v"},"value":{"cmd":"answer","arg":"_agree"}}""");
        await PostAsync(withRegistration, id, token, """{"type":"message","from":{"id":"v"},"text":"西村 葵"}""");
        await withRegistration.WaitForBotAsync(id, token, a => a["text"]?.GetValue<string>().Contains("（2/11）") == true);

        using var response = await withRegistration.SendAsync(HttpMethod.Post, "/kiosk/api/continuation", token);
        var code = (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>();
        await withRegistration.Services.GetRequiredService<ConversationEngine>()
            .HandleAsync(new ConversationAddress(RecordingSender.ChannelName, "line-user-5"), Activity.Message(code), CancellationToken.None);

        var replies = withRegistration.Sender.TextsTo("line-user-5");
        Assert.Contains(replies, r => r.Contains("キオスクでのご相談を引き継ぎました"));
        Assert.Contains(replies, r => r.Contains("登録フォーム）は引き継いでいません"));
        Assert.DoesNotContain(replies, r => r.Contains("保存期間が過ぎた"));
        Assert.Null(await db.ScalarAsync<string>("select state->'flows'->0->>'flow' from conversation.conversations where key = 'test:line-user-5'"));
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        var (_, token) = await kiosk.StartAsync();
        var code = (await IssueAsync(token))["code"]!.GetValue<string>();
        await db.ExecuteAsync("update kiosk.continuation_codes set expires_at = now() - interval '1 second' where code = @c", ("c", code));
        await SayOnLineAsync("line-user-3", code);
        Assert.Contains("有効期限", kiosk.Sender.TextsTo("line-user-3")[^1]);
    }

    [Fact]
    public async Task A_message_that_only_looks_like_a_code_is_an_ordinary_message()
    {
        Assert.Null(ContinuationCodes.Find("FD-ABC"));
        Assert.Null(ContinuationCodes.Find("XFD-ABCDEF"));
        Assert.Equal("FD-ABCDEF", ContinuationCodes.Find("コードは fd abcdef です"));
        await SayOnLineAsync("line-user-4", "FD-ZZZZZZ");
        Assert.Contains("お使いいただけません", kiosk.Sender.TextsTo("line-user-4")[^1]);
        await SayOnLineAsync("line-user-4", "メニュー");
        Assert.Contains("ご用件", kiosk.Sender.TextsTo("line-user-4")[^1]);
    }

    [Fact]
    public async Task Only_the_conversation_that_issued_a_code_can_ask_about_it()
    {
        var (_, tokenA) = await kiosk.StartAsync();
        var (_, tokenB) = await kiosk.StartAsync();
        var code = (await IssueAsync(tokenA))["code"]!.GetValue<string>();
        using var other = await kiosk.SendAsync(HttpMethod.Get, $"/kiosk/api/continuation/{code}", tokenB);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        using var anonymous = await kiosk.SendAsync(HttpMethod.Post, "/kiosk/api/continuation", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
