using FrontDesk.Bot.Line;
using FrontDesk.FakeLine;

namespace FrontDesk.Bot.Tests.Line;

public sealed class RichMenuTests
{
    [Fact]
    public async Task The_rich_menu_command_creates_the_menu_uploads_its_image_and_makes_it_the_default()
    {
        await using var line = await FakeLinePlatform.StartAsync();
        var settings = line.BotSettings.Select(s => $"--{s.Key}={s.Value}");
        var exit = await LineCommands.RunAsync(["rich-menu", .. settings]);

        Assert.Equal(0, exit);
        Assert.Empty(line.InvalidCalls);
        Assert.Equal(["/v2/bot/richmenu", "/content", "/v2/bot/user/all/richmenu/"],
            line.Calls.Select(c => c.Path.StartsWith("/v2/bot/richmenu/") ? "/content" : c.Path.StartsWith("/v2/bot/user/all/richmenu/") ? "/v2/bot/user/all/richmenu/" : c.Path));
        Assert.All(line.Calls, c => Assert.True(c.Succeeded));
        Assert.Equal("image/png", line.Calls[1].ContentType);
        Assert.NotNull(line.DefaultRichMenuId);
    }

    [Fact]
    public async Task Without_credentials_the_rich_menu_command_explains_what_to_set()
    {
        var exit = await LineCommands.RunAsync(["rich-menu", "--Line:ChannelSecret=", "--Line:ChannelAccessToken="]);
        Assert.Equal(1, exit);
    }
}
