using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Npgsql;

namespace FrontDesk.Bot.Coordinators;

/// <summary>
/// One LISTEN connection per web host: a trigger on the conversations table notifies every host when a handed-off
/// conversation changes (a user's message, a claim, a close; whichever host saved it), and this relays the change to
/// the consoles connected here. Bursts for one conversation collapse into one announcement.
/// </summary>
public sealed partial class ConsoleRelay(NpgsqlDataSource db, ConsoleQueries queries, LineDisplayNames names, IHubContext<ConsoleHub> hub,
    ILogger<ConsoleRelay> logger)
    : BackgroundService
{
    public const string Channel = "handoff_changed";
    const int Workers = 4;

    readonly Channel<string> changed = System.Threading.Channels.Channel.CreateUnbounded<string>();
    readonly ConcurrentDictionary<string, byte> pending = new();
    NpgsqlConnection? listener;

    /// <summary>Listens before the host starts serving, so no change made after start-up is missed.</summary>
    public override async Task StartAsync(CancellationToken ct)
    {
        try
        {
            listener = await ListenAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogListenFailed(e);
        }
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(() => AnnounceAsync(stoppingToken), CancellationToken.None)).ToList();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (listener is null)
                {
                    listener = await ListenAsync(stoppingToken);
                    // Changes made while the connection was down were not notified: announce the whole queue again.
                    foreach (var change in await queries.QueueChangesAsync(stoppingToken))
                        Enqueue(change.Key);
                }
                while (true)
                    await listener.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                LogListenFailed(e);
                await DropListenerAsync();
                await PauseAsync(stoppingToken);
            }
        }
        await DropListenerAsync();
        changed.Writer.TryComplete();
        await Task.WhenAll(workers);
    }

    static async Task PauseAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    async Task<NpgsqlConnection> ListenAsync(CancellationToken ct)
    {
        var conn = await db.OpenConnectionAsync(ct);
        conn.Notification += (_, e) => Enqueue(e.Payload);
        await using var listen = new NpgsqlCommand($"listen {Channel}", conn);
        await listen.ExecuteNonQueryAsync(ct);
        return conn;
    }

    void Enqueue(string key)
    {
        if (pending.TryAdd(key, 0))
            changed.Writer.TryWrite(key);
    }

    async Task DropListenerAsync()
    {
        if (listener is not null)
            await listener.DisposeAsync();
        listener = null;
    }

    async Task AnnounceAsync(CancellationToken ct)
    {
        await foreach (var key in changed.Reader.ReadAllAsync(CancellationToken.None))
        {
            // Taken off before reading, so a change that lands meanwhile is announced again.
            pending.TryRemove(key, out _);
            try
            {
                if (await queries.ChangeAsync(key, ct) is { } change)
                    await hub.Clients.All.SendAsync(ConsoleHub.ChangeEvent, change with { DisplayName = await names.ForAsync(key, ct) }, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                LogAnnounceFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for handoff changes failed; retrying")]
    partial void LogListenFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing a handoff change to the consoles failed")]
    partial void LogAnnounceFailed(Exception e);
}
