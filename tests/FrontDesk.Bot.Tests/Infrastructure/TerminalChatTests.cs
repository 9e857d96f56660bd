using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Terminal;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Infrastructure;

public sealed class TerminalChatTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_terminal_numbers_the_buttons_and_a_typed_number_presses_one()
    {
        var output = new StringWriter();
        var screen = new TerminalScreen(output);
        await using var host = await BotHost.StartAsync(db.ConnectionString, services: s => s.AddSingleton<IChannelSender>(screen));
        var me = new ConversationAddress("terminal", "tester");

        await host.Engine.HandleAsync(me, Activity.Event("conversation.start"), CancellationToken.None);
        Assert.Contains("(1) 相談前の簡単な質問", output.ToString());

        await host.Engine.HandleAsync(me, screen.Interpret("１"), CancellationToken.None);
        Assert.Contains("（1/4）どのような暮らし方", output.ToString());

        await host.Engine.HandleAsync(me, screen.Interpret("二地域居住です"), CancellationToken.None);
        Assert.Contains("（2/4）", output.ToString());
    }

    [Fact]
    public void The_chat_host_builds_as_the_demo_starts_it_with_every_service_validated()
    {
        // `./frontdesk chat` runs in Development, where every service is validated at build (a registration needing the
        // web host's routing once broke it).
        var builder = TerminalChat.Builder(["--environment", "Development", "--Database:ConnectionString", db.ConnectionString], new TerminalScreen(new StringWriter()));
        Assert.Equal("Development", builder.Environment.EnvironmentName);
        using var host = builder.Build();
        Assert.NotNull(host.Services.GetRequiredService<ConversationEngine>());
    }
}
