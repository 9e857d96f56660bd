using System.Text;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Infrastructure;
using FrontDesk.Jobs.Knowledge;
using FrontDesk.Jobs.Listings;
using FrontDesk.Knowledge.Database;
using FrontDesk.Knowledge.Documents;

namespace FrontDesk.Bot.Terminal;

/// <summary>
/// `./frontdesk chat`: a conversation in the terminal through the real engine and database, for trying the bot
/// before any LINE account exists. Buttons are numbered; typing the number presses one.
/// </summary>
public static class TerminalChat
{
    /// <summary>The chat's host: the engine, the jobs that load the content, the terminal as the channel.</summary>
    public static HostApplicationBuilder Builder(string[] args, TerminalScreen screen)
    {
        var builder = Host.CreateApplicationBuilder(args);
        // Only problems between the chat lines: this rule comes after appsettings.json's, so it wins.
        builder.Logging.AddFilter(null, LogLevel.Warning);
        builder.AddDatabase();
        builder.AddAllSchemas();
        builder.AddConversationEngine();
        builder.AddKnowledgeJobs(schedule: false);
        builder.AddListingJobs(schedule: false);
        builder.Services.AddSingleton<IChannelSender>(screen);
        return builder;
    }

    /// <summary>Brings the configured sources in (unchanged documents cost nothing), builds this process's index, imports the listings.</summary>
    public static async Task LoadContentAsync(IServiceProvider services, CancellationToken ct)
    {
        var refresh = await services.GetRequiredService<KnowledgeRefreshJob>().RunAsync(null, ct);
        if (refresh.Failed > 0)
            Console.Error.WriteLine($"knowledge refresh: {refresh}");
        await services.GetRequiredService<KnowledgeIndexUpdater>().RefreshAsync(ct);
        await services.GetRequiredService<ListingImportJob>().RunAsync(null, ct);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        Console.InputEncoding = Encoding.UTF8;
        Console.OutputEncoding = Encoding.UTF8;

        var screen = new TerminalScreen(Console.Out);
        var builder = Builder(args, screen);
        using var host = builder.Build();

        var ct = CancellationToken.None;
        try
        {
            await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync(ct);
        }
        catch (DatabaseUnavailableException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        await LoadContentAsync(host.Services, ct);
        var engine = host.Services.GetRequiredService<ConversationEngine>();
        var user = builder.Configuration["user"] ?? Environment.UserName;
        var address = new ConversationAddress("terminal", user);

        Console.WriteLine("FrontDesk チャット（終了: exit / Ctrl-D）");
        await engine.HandleAsync(address, Activity.Event("conversation.start"), ct);
        while (true)
        {
            Console.Write("you> ");
            var line = Console.ReadLine();
            if (line is null || line.Trim() is "exit" or "quit" or "終了")
                break;
            await engine.HandleAsync(address, screen.Interpret(line), ct);
        }
        return 0;
    }
}

/// <summary>Prints replies and remembers the last buttons, so a typed number can stand for one.</summary>
public sealed class TerminalScreen(TextWriter output) : IChannelSender
{
    List<CardAction> options = [];

    public string Channel => "terminal";

    public Task SendAsync(ConversationAddress address, Activity inbound, IReadOnlyList<Activity> replies, CancellationToken ct)
    {
        var shown = new List<CardAction>();
        foreach (var reply in replies)
        {
            if (!string.IsNullOrEmpty(reply.Text))
                output.WriteLine("bot> " + reply.Text.Replace("\n", "\n     "));
            foreach (var card in reply.Cards)
            {
                output.WriteLine($"     [{card.Title}]" + (card.Subtitle is null ? "" : " " + card.Subtitle));
                if (card.Text is not null)
                    output.WriteLine("     " + card.Text.Replace("\n", "\n     "));
                foreach (var fact in card.Facts)
                    output.WriteLine($"     {fact.Label}: {fact.Value}");
                shown.AddRange(card.Buttons);
            }
            shown.AddRange(reply.SuggestedActions);
        }
        for (var i = 0; i < shown.Count; i++)
            output.WriteLine($"     ({i + 1}) {shown[i].Title}" + (shown[i].Kind == CardActionKind.OpenUrl ? " " + shown[i].Value : ""));
        options = shown;
        return Task.CompletedTask;
    }

    public Activity Interpret(string line)
    {
        var text = line.Normalize(NormalizationForm.FormKC).Trim();
        if (int.TryParse(text, out var n) && n >= 1 && n <= options.Count)
        {
            var action = options[n - 1];
            return action.Kind == CardActionKind.Command
                ? Activity.Command(action.Value, action.CommandArgument) with { Text = action.Title }
                : Activity.Message(action.Kind == CardActionKind.Message ? action.Value : action.Title);
        }
        return Activity.Message(line);
    }
}
