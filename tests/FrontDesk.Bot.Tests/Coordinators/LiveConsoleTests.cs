using System.Text.Json.Nodes;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Staff;
using FrontDesk.Bot.Tests.Kiosk;
using FrontDesk.FakeLine;
using FrontDesk.Testing;
using FrontDesk.Testing.FakeLine;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Coordinators;

/// <summary>The live console end to end: users on LINE and the kiosk, coordinators on the SignalR hub.</summary>
public sealed class LiveConsoleTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    const string Password = "live console password";

    async Task AccountAsync(IServiceProvider services, string login, string role = "coordinator")
    {
        if (await db.ScalarAsync<long>("select count(*) from staff.accounts where login = @l", ("l", login)) == 0)
            await services.GetRequiredService<StaffAccounts>().AddAsync(login, login + "さん", role, Password, CancellationToken.None);
    }

    Task<string?> AuditAsync(string login, string key) =>
        db.ScalarAsync<string>("select string_agg(action, ',' order by id) from staff.audit where login = @l and target = @k", ("l", login), ("k", key));

    [Fact]
    public async Task A_LINE_user_asks_for_a_person_and_a_coordinator_on_the_hub_claims_replies_and_closes_then_the_bot_answers_again()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        await KnowledgeContent.LoadAsync(bot.App.Services, KnowledgeContent.ArticlesFolder);
        await AccountAsync(bot.App.Services, "line-coordinator");
        await using var coordinator = await HubCoordinator.SignInAsync(bot.App.ServerAddress, "line-coordinator", Password);
        var user = LineEvents.NewUserId();
        var key = "line:" + user;

        await bot.SendAsync(bot.Events.Text(user, "相談員と話したい"));
        Assert.Contains("相談員におつなぎします", (await bot.TextsToAsync(user, 1))[0]);
        var waiting = await coordinator.WaitForAsync(c => c.Key == key && c.Status == "waiting", "the queue item reaches the coordinator");
        Assert.Equal("line", waiting.Channel);
        Assert.Equal("requested", waiting.Reason);
        Assert.Equal("テスト利用者", waiting.DisplayName);
        Assert.Contains(await coordinator.Hub.InvokeAsync<List<FrontDesk.Bot.Coordinators.ConversationChange>>("Queue"), c => c.Key == key && c.DisplayName == "テスト利用者");
        Assert.Contains(waiting.Recent, l => l.Inbound && l.Text == "相談員と話したい");

        // The queue page shows the user's LINE display name, asked of LINE once and then cached.
        using (var browser = bot.App.CreateBrowser())
        {
            var form = await browser.GetStringAsync("/console/sign-in");
            await browser.PostAsync("/console/sign-in", ConsoleForms.Form(form, ("login", "line-coordinator"), ("password", Password)));
            Assert.Contains("テスト利用者 さん", await browser.GetStringAsync("/console"));
            Assert.Contains("テスト利用者 さん", await browser.GetStringAsync("/console/queue"));
        }
        Assert.Single(bot.Line.Calls, c => c.Path == "/v2/bot/profile/" + user);

        var claimed = await coordinator.InvokeAsync("Claim", key);
        Assert.True(claimed.Ok, claimed.Message);
        Assert.Contains("相談員がつながりました", (await bot.TextsToAsync(user, 2))[1]);

        await bot.SendAsync(bot.Events.Text(user, "長野で子育てしやすい町を探しています"));
        var message = await coordinator.WaitForAsync(c => c.Key == key && c.Recent.Any(l => l.Text == "長野で子育てしやすい町を探しています"), "the user's message appears live");
        Assert.Equal("active", message.Status);
        Assert.Equal("line-coordinator", message.Coordinator);

        var replied = await coordinator.InvokeAsync("Reply", key, "ご連絡ありがとうございます。候補を三つご紹介します。");
        Assert.True(replied.Ok, replied.Message);
        Assert.Equal("ご連絡ありがとうございます。候補を三つご紹介します。", (await bot.TextsToAsync(user, 3))[2]);

        var closed = await coordinator.InvokeAsync("Close", key);
        Assert.True(closed.Ok, closed.Message);
        Assert.Contains("相談員との会話を終了しました", (await bot.TextsToAsync(user, 4))[3]);
        await coordinator.WaitForAsync(c => c.Key == key && c.Status == "closed", "the queue drops the closed conversation");

        await bot.SendAsync(bot.Events.Text(user, "移住支援金は世帯でいくらもらえますか？"));
        Assert.Contains("100万円", (await bot.TextsToAsync(user, 5))[4]);
        Assert.Empty(bot.Line.InvalidCalls);
        Assert.Equal("claim,message,close", await AuditAsync("line-coordinator", key));
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from staff.audit where detail like '%テスト利用者%'"));
    }

    [Fact]
    public async Task A_kiosk_visitor_is_answered_by_a_coordinator_on_the_hub_through_Direct_Line_and_then_by_the_bot_again()
    {
        await using var kiosk = await KioskTestApp.StartAsync(db);
        await AccountAsync(kiosk.Services, "kiosk-coordinator");
        await using var coordinator = await HubCoordinator.SignInAsync(kiosk.App.ServerAddress, "kiosk-coordinator", Password);
        var (id, token) = await kiosk.StartAsync();
        async Task SayAsync(string text)
        {
            using var posted = await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token,
                new JsonObject { ["type"] = "message", ["from"] = new JsonObject { ["id"] = "dl_visitor", ["role"] = "user" }, ["text"] = text }.ToJsonString());
            posted.EnsureSuccessStatusCode();
        }

        await SayAsync("人と話したい");
        var waiting = await coordinator.WaitForAsync(c => c.Key.EndsWith(id, StringComparison.Ordinal) && c.Status == "waiting", "the kiosk visitor reaches the queue");
        Assert.Equal("kiosk", waiting.Channel);
        using (var browser = kiosk.App.CreateBrowser())
        {
            var form = await browser.GetStringAsync("/console/sign-in");
            await browser.PostAsync("/console/sign-in", ConsoleForms.Form(form, ("login", "kiosk-coordinator"), ("password", Password)));
            Assert.Contains($"キオスク（{KioskTestApp.Device}）", await browser.GetStringAsync("/console/queue"));
        }

        Assert.True((await coordinator.InvokeAsync("Claim", waiting.Key)).Ok);
        await kiosk.WaitForBotAsync(id, token, a => a["text"]?.GetValue<string>().Contains("相談員がつながりました") == true);
        await SayAsync("空き家バンクについて直接聞きたいです");
        await coordinator.WaitForAsync(c => c.Key == waiting.Key && c.Recent.Any(l => l.Text == "空き家バンクについて直接聞きたいです"), "the visitor's message appears live");

        Assert.True((await coordinator.InvokeAsync("Reply", waiting.Key, "相談員の木村です。空き家バンクの登録方法をご案内します。")).Ok);
        await kiosk.WaitForBotAsync(id, token, a => a["text"]?.GetValue<string>() == "相談員の木村です。空き家バンクの登録方法をご案内します。");

        Assert.True((await coordinator.InvokeAsync("Close", waiting.Key)).Ok);
        await kiosk.WaitForBotAsync(id, token, a => a["text"]?.GetValue<string>().Contains("相談員との会話を終了しました") == true);
        await SayAsync("移住支援金は世帯でいくらもらえますか？");
        await kiosk.WaitForBotAsync(id, token, a => a["text"]?.GetValue<string>().Contains("100万円") == true);
    }

    [Fact]
    public async Task A_message_arriving_on_host_A_reaches_a_hub_coordinator_on_host_B_whose_reply_goes_out()
    {
        var senderA = new RecordingSender();
        var senderB = new RecordingSender();
        await using var hostA = new FrontDeskWebApp(db.ConnectionString, environment: "Production", services: s => s.AddSingleton<IChannelSender>(senderA));
        await using var hostB = new FrontDeskWebApp(db.ConnectionString, environment: "Production", services: s => s.AddSingleton<IChannelSender>(senderB));
        await AccountAsync(hostB.Services, "host-b-coordinator");
        await using var coordinator = await HubCoordinator.SignInAsync(hostB.ServerAddress, "host-b-coordinator", Password);
        var engineA = hostA.Services.GetRequiredService<ConversationEngine>();
        var visitor = new ConversationAddress(RecordingSender.ChannelName, "hub-on-host-a");

        await engineA.HandleAsync(visitor, Activity.Message("スタッフと話したい"), CancellationToken.None);
        await coordinator.WaitForAsync(c => c.Key == visitor.Key && c.Status == "waiting", "host A's handoff reaches host B");
        Assert.True((await coordinator.InvokeAsync("Claim", visitor.Key)).Ok);

        await engineA.HandleAsync(visitor, Activity.Message("週末だけ住める家を探しています"), CancellationToken.None);
        await coordinator.WaitForAsync(c => c.Key == visitor.Key && c.Recent.Any(l => l.Text == "週末だけ住める家を探しています"), "host A's message reaches host B");

        Assert.True((await coordinator.InvokeAsync("Reply", visitor.Key, "承知しました。週末利用の物件を探します。")).Ok);
        Assert.Equal("承知しました。週末利用の物件を探します。", senderB.TextsTo("hub-on-host-a")[^1]);
    }

    [Fact]
    public async Task Two_coordinators_claiming_through_the_hub_at_once_leave_exactly_one_owner()
    {
        var sender = new RecordingSender();
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production", services: s => s.AddSingleton<IChannelSender>(sender));
        await AccountAsync(app.Services, "race-a");
        await AccountAsync(app.Services, "race-b");
        await using var a = await HubCoordinator.SignInAsync(app.ServerAddress, "race-a", Password);
        await using var b = await HubCoordinator.SignInAsync(app.ServerAddress, "race-b", Password);
        var visitor = new ConversationAddress(RecordingSender.ChannelName, "race-visitor");
        await app.Services.GetRequiredService<ConversationEngine>().HandleAsync(visitor, Activity.Message("相談員と話したい"), CancellationToken.None);

        var results = await Task.WhenAll(a.InvokeAsync("Claim", visitor.Key), b.InvokeAsync("Claim", visitor.Key));
        var winner = Assert.Single(results, r => r.Ok);
        Assert.Equal("この会話を担当しました。", winner.Message);
        Assert.Equal("ほかの相談員がすでに担当しています。", Assert.Single(results, r => !r.Ok).Message);
        var owner = results[0].Ok ? "race-a" : "race-b";
        var final = await a.WaitForAsync(c => c.Key == visitor.Key && c.Status == "active", "the claim is announced");
        Assert.Equal(owner, final.Coordinator);
        Assert.Single(sender.TextsTo("race-visitor"), t => t.Contains("相談員がつながりました"));
    }

    [Fact]
    public async Task The_hub_refuses_anyone_not_signed_in()
    {
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production");
        await using var anonymous = new HubConnectionBuilder().WithUrl(new Uri(app.ServerAddress, "/console/hub")).Build();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
