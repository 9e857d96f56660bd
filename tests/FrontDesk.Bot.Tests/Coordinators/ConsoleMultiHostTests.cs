using System.Net;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Staff;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Coordinators;

public sealed class ConsoleMultiHostTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_message_arriving_on_host_A_reaches_a_coordinator_signed_in_on_host_B_who_answers_it()
    {
        var senderA = new RecordingSender();
        var senderB = new RecordingSender();
        await using var hostA = new FrontDeskWebApp(db.ConnectionString, environment: "Production", services: s => s.AddSingleton<IChannelSender>(senderA));
        await using var hostB = new FrontDeskWebApp(db.ConnectionString, environment: "Production", services: s => s.AddSingleton<IChannelSender>(senderB));
        await hostB.Services.GetRequiredService<StaffAccounts>().AddAsync("kato", "加藤", "coordinator", "multi host password", CancellationToken.None);

        var engineA = hostA.Services.GetRequiredService<ConversationEngine>();
        var visitor = new ConversationAddress(RecordingSender.ChannelName, "on-host-a");
        await engineA.HandleAsync(visitor, Activity.Message("相談員と話したい"), CancellationToken.None);

        using var browser = hostB.CreateBrowser();
        var signIn = await browser.GetStringAsync("/console/sign-in");
        await browser.PostAsync("/console/sign-in", ConsoleForms.Form(signIn, ("login", "kato"), ("password", "multi host password")));
        Assert.Contains("test:on-host-a", await browser.GetStringAsync("/console"));

        var page = await browser.GetStringAsync("/console/c/test%3Aon-host-a");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/console/c/test%3Aon-host-a/claim", ConsoleForms.Form(page))).StatusCode);
        var repliesBefore = senderA.TextsTo("on-host-a").Count;
        await engineA.HandleAsync(visitor, Activity.Message("2拠点目を探しています"), CancellationToken.None);
        Assert.Contains("2拠点目を探しています", await browser.GetStringAsync("/console/c/test%3Aon-host-a"));
        Assert.Equal(repliesBefore, senderA.TextsTo("on-host-a").Count);   // the bot stayed silent on host A

        await browser.PostAsync("/console/c/test%3Aon-host-a/reply", ConsoleForms.Form(page, ("text", "加藤です。承知しました。")));
        Assert.Equal("加藤です。承知しました。", senderB.TextsTo("on-host-a")[^1]);
    }
}
