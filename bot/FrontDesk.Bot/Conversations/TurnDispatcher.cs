using System.Threading.Channels;
using FrontDesk.Bot.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FrontDesk.Bot.Conversations;

/// <summary>
/// Processes accepted activities in the background: channels that must answer fast (the LINE webhook) post here.
/// At most one drain per conversation runs on this host; a periodic sweep picks up activities that any host
/// accepted but did not process, e.g. because it stopped.
/// </summary>
public sealed partial class TurnDispatcher(
    ConversationEngine engine,
    NpgsqlDataSource db,
    TimeProvider time,
    IOptions<ConversationOptions> options,
    ILogger<TurnDispatcher> logger) : BackgroundService
{
    static readonly TimeSpan SweepGrace = TimeSpan.FromSeconds(2);

    readonly Channel<ConversationAddress> queue = Channel.CreateUnbounded<ConversationAddress>();
    readonly Dictionary<string, DrainState> drains = [];
    readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentTurns);

    /// <summary>Accepts the activity durably and schedules its processing; returns once it is recorded.</summary>
    public async Task<long> PostAsync(ConversationAddress address, Activity activity, CancellationToken ct)
    {
        var id = await engine.AcceptAsync(address, activity, ct);
        Schedule(address);
        return id;
    }

    public void Schedule(ConversationAddress address)
    {
        lock (drains)
        {
            if (drains.TryGetValue(address.Key, out var running))
            {
                running.Again = true;
                return;
            }
            drains[address.Key] = new DrainState();
        }
        queue.Writer.TryWrite(address);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweeping = SweepAsync(stoppingToken);
        var running = new List<Task>();
        try
        {
            await foreach (var address in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
                // Turns are CPU-bound: below the priority of the threads that acknowledge webhooks.
                running.Add(BackgroundScheduler.Shared.Run(() => DrainLoopAsync(address, stoppingToken)));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(running.Append(sweeping));
    }

    async Task DrainLoopAsync(ConversationAddress address, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                lock (drains)
                    drains[address.Key].Again = false;
                try
                {
                    await engine.DrainAsync(address, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Left pending; the sweep retries it.
                    LogDrainFailed(e, address.Channel);
                }
                lock (drains)
                {
                    if (!drains[address.Key].Again || ct.IsCancellationRequested)
                    {
                        drains.Remove(address.Key);
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            lock (drains)
                drains.Remove(address.Key);
        }
        finally
        {
            slots.Release();
        }
    }

    Task SweepAsync(CancellationToken ct) => PeriodicSweep.RunAsync(options.Value.PendingSweepInterval, time, async token =>
    {
        foreach (var address in await FindStrandedAsync(token))
            Schedule(address);
    }, LogSweepFailed, ct);

    async Task<List<ConversationAddress>> FindStrandedAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select distinct conversation_key from conversation.inbound
            where failed_at is null and received_at < @cutoff
            limit 500
            """);
        cmd.Parameters.AddWithValue("cutoff", time.GetUtcNow() - SweepGrace);
        var found = new List<ConversationAddress>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            found.Add(ConversationAddress.Parse(reader.GetString(0)));
        return found;
    }

    sealed class DrainState
    {
        public bool Again;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing a conversation on channel {Channel} failed; the sweep will retry")]
    partial void LogDrainFailed(Exception e, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for pending activities failed")]
    partial void LogSweepFailed(Exception e);
}
