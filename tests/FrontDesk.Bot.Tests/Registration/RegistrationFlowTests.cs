using System.Text.Json;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Registration;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Registration;

public sealed class RegistrationFlowTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    BotHost host = null!;

    public async Task InitializeAsync() => host = await BotHost.StartAsync(db.ConnectionString, settings: RegistrationKeys.Settings());
    public async Task DisposeAsync() => await host.DisposeAsync();

    RegistrationScript Person(string? name = null) => new(host, "r-" + Guid.NewGuid().ToString("N")[..10]) { Name = name ?? "鈴木 椿" };

    RegistrationStore Store => host.Services.GetRequiredService<RegistrationStore>();

    async Task<ConversationState> StateAsync(string user)
    {
        var json = await db.ScalarAsync<string>("select state::text from conversation.conversations where key = @k", ("k", "test:" + user));
        return JsonSerializer.Deserialize<ConversationState>(json!, ConversationEngine.Json)!;
    }

    [Fact]
    public async Task Consent_comes_first_with_purpose_retention_and_a_link_to_the_privacy_notice()
    {
        var p = Person();
        await p.StartAsync();
        var consent = host.Sender.RepliesTo(p.User)[^1];
        Assert.Contains("目的", consent.Text);
        Assert.Contains("見る人", consent.Text);
        Assert.Contains("保管期間", consent.Text);
        Assert.Contains("変更・削除", consent.Text);
        Assert.Contains(consent.SuggestedActions, a => a.Kind == CardActionKind.OpenUrl && a.Value == "https://frontdesk.example.jp/privacy/furusato");
        Assert.Contains(consent.SuggestedActions, a => a.Title == "同意する");
        Assert.Contains(consent.SuggestedActions, a => a.Title == "同意しない");
        Assert.DoesNotContain("お名前（漢字）", consent.Text!.Split('\n')[^1]);
    }

    [Fact]
    public async Task Declining_consent_ends_politely_and_keeps_only_the_refusal()
    {
        var p = Person();
        await p.StartAsync();
        await p.SayAsync("同意しない");
        Assert.Contains("個人情報はお預かりしていません", p.Last);
        Assert.Empty((await StateAsync(p.User)).Flows);
        var owner = Store.OwnerIndex("test:" + p.User);
        Assert.False(await db.ScalarAsync<bool>("select accepted from registration.consents where owner_index = @o", ("o", owner)));
        Assert.Null(await Store.DraftAsync(owner, CancellationToken.None));
    }

    [Fact]
    public async Task A_person_registers_with_full_width_digits_hiragana_and_buttons_and_gets_a_number()
    {
        var p = Person();
        await p.AnswerUntilAsync("confirm");
        var summary = p.Last;
        Assert.Contains("・お名前: 鈴木 椿", summary);
        Assert.Contains("・フリガナ: スズキ ツバキ", summary);
        Assert.Contains("・メールアドレス: tsubaki.suzuki@example.jp", summary);
        Assert.Contains("・電話番号: 09044172283", summary);
        Assert.Contains("・郵便番号: 390-0874", summary);
        Assert.Contains("・住所: 長野県松本市大手", summary);
        Assert.Contains("・生まれ年: 1985", summary);
        Assert.Contains("・地域との関わり: 出身、観光", summary);
        Assert.Contains("・関心のある市町村: 松本市、安曇野市", summary);
        Assert.Contains("・登録区分: プレミアム登録", summary);
        Assert.Contains("・受け取りたい情報: 仕事、イベント", summary);

        await p.PressAsync(RegistrationFlow.Submit);
        Assert.Matches(@"登録番号は FR-\d{4}-\d{6} です", p.Last);
        Assert.Empty((await StateAsync(p.User)).Flows);

        var record = await Store.ByOwnerAsync(Store.OwnerIndex("test:" + p.User), CancellationToken.None);
        Assert.NotNull(record);
        Assert.Equal("premium", record.Plan);
        Assert.Equal(["origin", "tourism"], record.Form.Relations);
        Assert.Equal(["work", "events"], record.Form.Topics);
        Assert.Equal("3900874", record.Form.PostalCode);
    }

    [Theory]
    [InlineData("name", "😀つばき", "絵文字")]
    [InlineData("name", "<script>alert(1)</script>", "記号")]
    [InlineData("name", "LONG", "40文字以内")]
    [InlineData("kana", "Tsubaki", "ひらがなかカタカナ")]
    [InlineData("email", "090-4417-2283", "電話番号のようです")]
    [InlineData("email", "tsubaki@", "メールアドレスの形")]
    [InlineData("phone", "12345", "桁数")]
    [InlineData("phone", "でんわ", "数字で")]
    [InlineData("postal", "39008", "7桁")]
    [InlineData("address", "LONG", "80文字以内")]
    [InlineData("birthYear", "1850", "範囲外")]
    [InlineData("birthYear", "むかし", "昭和60年")]
    [InlineData("relations", "選び終えた", "1つ以上")]
    [InlineData("municipalities", "松本市、上田市、飯田市、諏訪市", "3つまで")]
    [InlineData("plan", "どちらでも", "ベーシック登録」か「プレミアム登録")]
    public async Task Every_invalid_answer_is_asked_again_with_the_reason_and_nothing_is_saved(string step, string answer, string reason)
    {
        var p = Person();
        await p.AnswerUntilAsync(step == "address" ? "postal" : step);
        if (step == "address")
            await p.SayAsync("1000000"); // not in the sample: the address is typed
        var before = p.Texts.Count;
        var question = p.Last[..p.Last.IndexOf('）')];
        await p.SayAsync(answer == "LONG" ? new string('あ', 1000) : answer);

        var replies = p.Texts;
        Assert.Equal(before + 2, replies.Count);
        Assert.Contains(reason, replies[^2]);
        Assert.StartsWith(question, replies[^1]);
        Assert.Equal(step, (await StateAsync(p.User)).ActiveFlow?.Step);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from registration.registrations where owner_index = @o", ("o", Store.OwnerIndex("test:" + p.User))));
    }

    [Fact]
    public async Task An_unknown_postal_code_asks_for_the_address_and_says_the_data_is_partial()
    {
        var p = Person();
        await p.AnswerUntilAsync("postal");
        await p.SayAsync("100-0000");
        Assert.Contains("一部だけ", p.Last);
        await p.SayAsync("東京都千代田区霞が関");
        Assert.Contains("（7/11）", p.Last);
    }

    [Fact]
    public async Task Any_field_can_be_edited_from_the_summary_and_a_new_postal_code_asks_for_its_address()
    {
        var p = Person();
        await p.AnswerUntilAsync("confirm");
        await p.SayAsync("修正する");
        Assert.Contains("どの項目を直しますか", p.Last);
        await p.PressAsync("name");
        await p.SayAsync("鈴木 つばき");
        Assert.Contains("・お名前: 鈴木 つばき", p.Last);

        await p.SayAsync("修正する");
        await p.SayAsync("郵便番号");
        await p.SayAsync("1600023");
        Assert.Contains("東京都新宿区西新宿", p.Last);
        await p.PressAsync(RegistrationFlow.Suggested);
        Assert.Contains("・住所: 東京都新宿区西新宿", p.Last);
        Assert.Contains("・郵便番号: 160-0023", p.Last);
    }

    [Fact]
    public async Task Cancel_at_any_point_discards_the_draft_and_registers_nothing()
    {
        var p = Person();
        await p.AnswerUntilAsync("municipalities");
        await p.SayAsync("やめる");
        Assert.Contains("「ふるさと住民登録」を中止しました", p.Last);
        var owner = Store.OwnerIndex("test:" + p.User);
        Assert.Null(await Store.DraftAsync(owner, CancellationToken.None));
        Assert.Null(await Store.ByOwnerAsync(owner, CancellationToken.None));
    }

    [Fact]
    public async Task An_unfinished_form_is_resumed_later_where_it_stopped()
    {
        var p = Person();
        await p.AnswerUntilAsync("postal");
        await p.SayAsync("メニュー");
        // Later, after a restart, the person comes back to the registration.
        await host.DisposeAsync();
        host = await BotHost.StartAsync(db.ConnectionString, settings: RegistrationKeys.Settings());
        var again = new RegistrationScript(host, p.User);
        await again.StartAsync();
        Assert.Contains("再開できます", again.Last);
        await again.PressAsync(RegistrationFlow.Resume);
        Assert.Contains("（5/11）", again.Last);
        await again.SayAsync("390-0874");
        Assert.Contains("長野県松本市大手", again.Last);
    }

    [Fact]
    public async Task Starting_again_mid_form_offers_the_draft_and_a_registered_person_cannot_register_twice()
    {
        var p = Person();
        await p.AnswerUntilAsync("email");
        await p.StartAsync();
        Assert.Contains("再開できます", p.Last);
        await p.PressAsync(RegistrationFlow.Resume);
        Assert.Contains("（3/11）", p.Last);
        await p.SayAsync(p.Email);
        await p.SayAsync("なし");
        await p.SayAsync("1000001");
        await p.PressAsync(RegistrationFlow.Suggested);
        await p.PressAsync(RegistrationFlow.Skip);
        await p.SayAsync("ボランティア");
        await p.PressAsync(RegistrationFlow.Skip);
        await p.PressAsync("basic");
        await p.PressAsync(RegistrationFlow.Done);
        Assert.Contains("・電話番号: -", p.Last);
        await p.SayAsync("はい");
        Assert.Contains("登録番号", p.Last);

        await p.StartAsync();
        Assert.Contains("すでに登録されています", p.Last);
        Assert.Equal(1, await db.ScalarAsync<long>("select count(*) from registration.registrations where owner_index = @o", ("o", Store.OwnerIndex("test:" + p.User))));
    }

    [Fact]
    public async Task A_registered_person_views_changes_and_deletes_and_only_an_anonymous_count_remains()
    {
        var p = Person();
        var number = await p.RegisterAsync();

        await p.SayAsync("登録内容を確認");
        Assert.Contains(number, p.Last);
        Assert.Contains("・お名前: 鈴木 椿", p.Last);

        await p.SayAsync("変更");
        Assert.Contains("どの項目を直しますか", p.Last);
        await p.SayAsync("電話番号");
        await p.SayAsync("03-5555-0199");
        Assert.Contains("・電話番号: 0355550199", p.Last);
        await p.SayAsync("はい");
        Assert.Contains($"登録内容を変更しました（登録番号 {number}）", p.Last);
        var owner = Store.OwnerIndex("test:" + p.User);
        Assert.Equal("0355550199", (await Store.ByOwnerAsync(owner, CancellationToken.None))!.Form.Phone);

        var removalsBefore = await Store.RemovalCountAsync(CancellationToken.None);
        await p.SayAsync("削除");
        Assert.Contains("元に戻せません", p.Last);
        await p.SayAsync("削除を確定する");
        Assert.Contains("登録を削除しました", p.Last);
        Assert.Null(await Store.ByOwnerAsync(owner, CancellationToken.None));
        Assert.Equal(removalsBefore + 1, await Store.RemovalCountAsync(CancellationToken.None));
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from registration.consents where owner_index = @o", ("o", owner)));

        await p.SayAsync("登録内容を確認");
        Assert.Contains("見つかりませんでした", p.Last);
    }

    [Fact]
    public async Task The_transcript_keeps_placeholders_instead_of_answers_and_summaries()
    {
        var p = Person("高橋 葵");
        await p.RegisterAsync();
        await p.SayAsync("登録内容を確認");
        var transcript = await db.ScalarAsync<string>("select string_agg(activity::text, '\n' order by id) from conversation.transcript where conversation_key = @k", ("k", "test:" + p.User));
        Assert.Contains(RegistrationFlow.TranscriptPlaceholder, transcript);
        Assert.Contains(TranscriptMiddleware.PrivateReplyText, transcript);
        Assert.DoesNotContain("高橋", transcript);
        Assert.DoesNotContain("tsubaki.suzuki", transcript);
        // The phone number in every form it was typed or shown; its digits alone also occur in timestamps.
        Assert.DoesNotContain("4417-2283", transcript);
        Assert.DoesNotContain("44172283", transcript);
        Assert.Contains("ご登録ありがとうございました", transcript);
    }

    [Fact]
    public async Task Asking_for_a_person_mid_form_hands_over_with_the_progress_but_not_the_answers()
    {
        var p = Person("中村 凪");
        await p.AnswerUntilAsync("postal");
        await p.SayAsync("相談員と話したい");
        Assert.Contains("相談員におつなぎします", p.Last);
        var handoff = (await StateAsync(p.User)).Handoff;
        Assert.NotNull(handoff);
        Assert.Equal("requested", handoff.Reason);
        var attachment = Assert.Single(handoff.Attachments);
        Assert.Equal("registration-draft", attachment.Kind);
        Assert.Contains(attachment.Facts, f => f.Label == "いまの質問" && f.Value == "郵便番号");
        Assert.Contains(attachment.Facts, f => f.Label == "入力済みの項目" && f.Value.Contains("お名前"));
        Assert.Contains("/console/registrations/draft?conversation=test%3A", attachment.Url);
        var stateText = await db.ScalarAsync<string>("select state::text from conversation.conversations where key = @k", ("k", "test:" + p.User));
        Assert.DoesNotContain("中村", stateText);
        Assert.DoesNotContain("tsubaki.suzuki", stateText);
    }

    [Fact]
    public async Task Two_devices_answering_at_once_are_taken_one_after_the_other_and_nothing_is_half_saved()
    {
        var p = Person();
        await p.AnswerUntilAsync("name");
        await Task.WhenAll(p.SayAsync("鈴木 椿"), p.SayAsync("すずき つばき"), p.SayAsync("tsubaki.suzuki@example.jp"));
        var draft = await Store.DraftAsync(Store.OwnerIndex("test:" + p.User), CancellationToken.None);
        Assert.NotNull(draft);
        // Whatever order they arrived in, each message answered the question current at its turn.
        var answered = new[] { draft.Form.NameKanji, draft.Form.NameKana, draft.Form.Email }.Count(v => v is not null);
        Assert.True(answered >= 1);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from conversation.inbound where conversation_key = @k", ("k", "test:" + p.User)));
        Assert.DoesNotContain(p.Texts, t => t.Contains("問題が起きました"));
    }
}
