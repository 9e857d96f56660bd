using FrontDesk.Bot;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Infrastructure;
using FrontDesk.Knowledge.Database;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Testing;

/// <summary>The engine as every host sets it up (AddConversationEngine), without HTTP: for engine tests. Replies go to <see cref="Sender"/>.</summary>
public sealed class BotHost : IAsyncDisposable
{
    readonly IHost host;

    BotHost(IHost host, RecordingSender sender)
    {
        this.host = host;
        Sender = sender;
    }

    public RecordingSender Sender { get; }
    public IServiceProvider Services => host.Services;
    public ConversationEngine Engine => host.Services.GetRequiredService<ConversationEngine>();
    public TurnDispatcher Dispatcher => host.Services.GetRequiredService<TurnDispatcher>();

    public static async Task<BotHost> StartAsync(string connectionString, bool dispatcher = false,
        Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        // Only what the test says: not the appsettings.json copied next to the test binaries.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = connectionString,
            ["Conversations:PendingSweepInterval"] = "00:00:00.200",
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDatabase();
        builder.AddAllSchemas();
        builder.AddConversationEngine();
        if (dispatcher)
            builder.AddTurnDispatcher();
        var sender = new RecordingSender();
        builder.Services.AddSingleton<IChannelSender>(sender);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new BotHost(host, sender);
    }

    /// <summary>Sends one message as the given test user and waits until it was processed.</summary>
    public Task SayAsync(string user, string text) => Engine.HandleAsync(new ConversationAddress(RecordingSender.ChannelName, user), Activity.Message(text), CancellationToken.None);

    public Task PressAsync(string user, string command, string? value = null) =>
        Engine.HandleAsync(new ConversationAddress(RecordingSender.ChannelName, user), Activity.Command(command, value), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
