using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Registration;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Registration;

/// <summary>The form stores only clean answers: commands are commands, municipalities are checked, and every message is true.</summary>
public sealed class RegistrationCleanDataTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    BotHost host = null!;
    readonly SharedScreenSender kiosk = new();

    public async Task InitializeAsync() =>
        host = await BotHost.StartAsync(db.ConnectionString, settings: RegistrationKeys.Settings(), services: s => s.AddSingleton<IChannelSender>(kiosk));

    public async Task DisposeAsync() => await host.DisposeAsync();

    RegistrationScript Person() => new(host, "d-" + Guid.NewGuid().ToString("N")[..10]);

    RegistrationStore Store => host.Services.GetRequiredService<RegistrationStore>();

    async Task<RegistrationForm> DraftAsync(RegistrationScript p) =>
        (await Store.DraftAsync(Store.OwnerIndex("test:" + p.User), CancellationToken.None))!.Form;

    [Fact]
    public async Task Back_menu_and_help_at_the_address_are_commands_and_never_stored_as_the_address()
    {
        var p = Person();
        await p.AnswerUntilAsync("address");
        await p.SayAsync("戻る");
        Assert.Contains("（5/11）", p.Last);
        Assert.Null((await DraftAsync(p)).Address);

        await p.SayAsync("390-0874");
        Assert.Contains("（6/11）", p.Last);
        await p.SayAsync("メニュー");
        Assert.Contains("「ふるさと住民登録」の途中です", p.Texts[^2]);
        await p.SayAsync("ヘルプ");
        Assert.Contains("（6/11）", p.Last);
        Assert.Null((await DraftAsync(p)).Address);

        await p.PressAsync(RegistrationFlow.Suggested);
        Assert.Equal("長野県松本市大手", (await DraftAsync(p)).Address);
    }

    [Fact]
    public async Task Not_sure_is_never_a_name_nor_a_call_for_help_and_means_undecided_for_municipalities()
    {
        var p = Person();
        await p.AnswerUntilAsync("name");
        await p.SayAsync("わからない");
        Assert.Contains("「わからない」では進めません", p.Texts[^2]);
        Assert.Contains("（1/11）", p.Last);
        Assert.Null((await DraftAsync(p)).NameKanji);

        var undecided = Person();
        await undecided.AnswerUntilAsync("municipalities");
        await undecided.SayAsync("わからない");
        Assert.Contains("（10/11）", undecided.Last);
        Assert.Equal([], (await DraftAsync(undecided)).Municipalities);
        Assert.DoesNotContain(p.Texts.Concat(undecided.Texts), t => t.Contains("相談員におつなぎします", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_municipality_is_asked_again_with_suggestions_and_nothing_is_stored()
    {
        var p = Person();
        await p.AnswerUntilAsync("municipalities");
        await p.SayAsync("ほげほげ市");
        Assert.Contains("「ほげほげ市」という市町村が見つかりませんでした", p.Texts[^2]);
        Assert.Contains("（9/11）", p.Last);
        Assert.Null((await DraftAsync(p)).Municipalities);

        await p.SayAsync("松本市、軽井沢市");
        Assert.Contains("「軽井沢市」という市町村が見つかりませんでした", p.Texts[^2]);
        Assert.Contains("松本市は確認できました", p.Texts[^2]);
        var question = host.Sender.RepliesTo(p.User)[^1];
        Assert.Contains(question.SuggestedActions, a => a.Title == "松本市、軽井沢町");
        Assert.Null((await DraftAsync(p)).Municipalities);

        await p.SayAsync("はくば");
        Assert.Contains(host.Sender.RepliesTo(p.User)[^1].SuggestedActions, a => a.Title == "白馬村");
        await p.SayAsync("白馬村");
        Assert.Equal(["白馬村"], (await DraftAsync(p)).Municipalities);
    }

    [Fact]
    public async Task Several_municipalities_in_one_sentence_are_split_and_each_is_checked()
    {
        var p = Person();
        await p.AnswerUntilAsync("municipalities");
        await p.SayAsync("松本市と軽井沢町、あと白馬");
        Assert.Contains("（10/11）", p.Last);
        Assert.Equal(["松本市", "軽井沢町", "白馬村"], (await DraftAsync(p)).Municipalities);

        await p.SayAsync("プレミアム");
        await p.SayAsync("不要");
        Assert.Contains("・関心のある市町村: 松本市、軽井沢町、白馬村", p.Last);
    }

    [Fact]
    public async Task Saying_one_wants_to_register_starts_the_form()
    {
        var p = Person();
        await p.SayAsync("ふるさと住民登録をしたい");
        Assert.Contains("同意いただける場合", p.Last);
        Assert.DoesNotContain("出典", p.Last);
    }

    [Fact]
    public async Task Cancelling_a_change_keeps_the_registration_and_says_so()
    {
        var p = Person();
        var number = await p.RegisterAsync();
        await p.SayAsync("変更");
        await p.SayAsync("電話番号");
        await p.SayAsync("03-5555-0199");
        await p.SayAsync("やめる");
        Assert.Contains($"変更を取りやめました。登録（登録番号 {number}）は変更前の内容のまま残っています", p.Last);
        Assert.DoesNotContain("中止しました", p.Last);
        var record = await Store.ByOwnerAsync(Store.OwnerIndex("test:" + p.User), CancellationToken.None);
        Assert.Equal("09044172283", record!.Form.Phone);
    }

    [Fact]
    public async Task Where_the_person_can_come_back_the_messages_promise_a_resume_only_short_of_cancelling()
    {
        var p = Person();
        await p.AnswerUntilAsync("name");
        var thanks = p.Texts[^2];
        Assert.DoesNotContain("途中でやめても", thanks);
        Assert.Contains("「やめる」で中止すると、入力した内容は消去されます", thanks);
        Assert.Contains("14日以内なら続きから再開できます", thanks);

        await p.SayAsync("鈴木 椿");
        await p.SayAsync("やめる");
        Assert.Contains("「ふるさと住民登録」を中止しました。入力した内容は消去しました。", p.Last);
    }

    [Fact]
    public async Task On_a_shared_screen_the_messages_tell_the_short_draft_and_that_LINE_cannot_reach_it()
    {
        var visitor = new ConversationAddress(ConversationAddress.KioskChannel, "screen-" + Guid.NewGuid().ToString("N")[..8]);
        Task Press(string value) => host.Engine.HandleAsync(visitor, Activity.Command(Commands.Answer, value), CancellationToken.None);
        Task Say(string text) => host.Engine.HandleAsync(visitor, Activity.Message(text), CancellationToken.None);

        await host.Engine.HandleAsync(visitor, Activity.Command(Commands.StartFlow, RegistrationFlow.FlowName), CancellationToken.None);
        var notice = kiosk.Texts(visitor)[^1];
        Assert.Contains("入力途中の内容は30分で消え", notice);
        Assert.Contains("LINEからは確認も変更もできません", notice);
        Assert.DoesNotContain("日で消え", notice);

        await Press(RegistrationFlow.Agree);
        var thanks = kiosk.Texts(visitor)[^2];
        Assert.Contains("30分で消去されます（LINEからは再開できません）", thanks);
        Assert.DoesNotContain("日以内", thanks);

        foreach (var answer in new[] { "小林 澪", "こばやし みお", "mio.kobayashi@example.jp", "なし", "1600023", "この住所でよい", "答えない", "観光", "まだ決めていない", "ベーシック", "不要" })
            await Say(answer);
        await Press(RegistrationFlow.Submit);
        var finished = kiosk.Texts(visitor)[^1];
        Assert.Contains("登録番号は FR-", finished);
        Assert.Contains("LINEからは確認できません", finished);
        Assert.DoesNotContain("またはLINE", finished);

        await Say("登録内容を確認");
        Assert.Contains("キオスクでは登録内容の確認・変更・削除はできません", kiosk.Texts(visitor)[^1]);
    }

    /// <summary>The kiosk's channel name on the test host: what a shared screen would be sent.</summary>
    sealed class SharedScreenSender : IChannelSender
    {
        readonly System.Collections.Concurrent.ConcurrentQueue<(ConversationAddress Address, Activity Reply)> delivered = new();

        public string Channel => ConversationAddress.KioskChannel;

        public Task SendAsync(ConversationAddress address, Activity inbound, IReadOnlyList<Activity> replies, CancellationToken ct)
        {
            foreach (var reply in replies)
                delivered.Enqueue((address, reply));
            return Task.CompletedTask;
        }

        public IReadOnlyList<string> Texts(ConversationAddress address) =>
            delivered.Where(d => d.Address == address).Select(d => d.Reply.Text ?? "").ToList();
    }
}
