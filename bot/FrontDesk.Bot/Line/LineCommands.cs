using FrontDesk.Bot.Line.RichMenu;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Bot.Line;

/// <summary>'FrontDesk.Bot line rich-menu': LINE administration from the command line (./frontdesk line ...).</summary>
public static class LineCommands
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not ["rich-menu", .. var rest])
        {
            Console.Error.WriteLine("Usage: FrontDesk.Bot line rich-menu   Create the rich menu, upload its image and make it the default.");
            return 2;
        }
        var builder = Host.CreateApplicationBuilder(rest);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddLineClient();
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LineOptions>>().Value;
        if (!options.Enabled)
        {
            Console.Error.WriteLine("Set Line__ChannelSecret and Line__ChannelAccessToken first (the channel's Messaging API settings).");
            return 1;
        }
        try
        {
            var id = await host.Services.GetRequiredService<RichMenuInstaller>().InstallAsync(CancellationToken.None);
            Console.WriteLine($"Rich menu {id} installed and set as the default on {options.ApiBaseUrl}.");
            return 0;
        }
        catch (Exception e) when (e is LineApiException or HttpRequestException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
