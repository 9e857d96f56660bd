using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using FrontDesk.Bot.Infrastructure;
using FrontDesk.Bot.Registration;
using FrontDesk.Knowledge.Database;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace FrontDesk.Bot.Conversations;

/// <summary>
/// Delivers <c>conversation.outbox</c>, which the engine writes in each turn's commit; a delivered row is deleted (the
/// mark, as for <c>conversation.inbound</c>). Rows of one conversation go out oldest first, one at a time across every host (a session advisory lock that dies with its connection, so a
/// killed host leaves nothing locked). A row that fails is retried with back-off, later rows of its conversation
/// waiting behind it, until <see cref="ConversationOptions.DeliveryRetryFor"/> has passed; then it is set aside
/// (<c>failed_at</c>), counted on /health/delivery and the console, and the conversation goes on. Deliveries run in
/// their own slots (<see cref="ConversationOptions.MaxConcurrentDeliveries"/>), never in the turn slots.
/// </summary>
public sealed partial class Outbox(
    NpgsqlDataSource db,
    IOptions<DatabaseOptions> database,
    ChannelSenders senders,
    FieldCipher cipher,
    TimeProvider time,
    IOptions<ConversationOptions> options,
    ILogger<Outbox> logger) : BackgroundService
{
    const string Purpose = "conversation.outbox";
    static readonly TimeSpan SweepGrace = TimeSpan.FromSeconds(2);

    readonly Channel<ConversationAddress> queue = Channel.CreateUnbounded<ConversationAddress>();
    readonly Dictionary<string, LoopState> loops = [];
    readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentDeliveries);
    readonly KeyedLock local = new();
    // Rows this process wrote and has not tried yet: only for these is it certain that no attempt reached the channel.
    readonly ConcurrentDictionary<long, byte> untried = new();
    // Cancelled a grace period after the stop: a send under way finishes and is recorded, so a restart does not repeat it.
    readonly CancellationTokenSource abort = new();
    volatile bool running;

    // A delivery holds its connection while the channel's call runs. Its own pool, so that hung calls never take the
    // connections turns and webhooks need; no session reset on return, since every lock is released explicitly.
    NpgsqlDataSource? pool;

    NpgsqlDataSource Pool => LazyInitializer.EnsureInitialized(ref pool, () =>
    {
        var builder = new NpgsqlDataSourceBuilder(database.Value.ConnectionString);
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.ConnectionStringBuilder.MaxPoolSize = options.Value.MaxConcurrentDeliveries + 16;
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
        return builder.Build();
    });

    public override void Dispose()
    {
        pool?.Dispose();
        abort.Dispose();
        base.Dispose();
    }

    /// <summary>The row to insert with a turn: its payload, plain or sealed.</summary>
    public (string? Json, string? KeyId, byte[]? Sealed) Payload(Activity inbound, IReadOnlyList<Activity> replies)
    {
        // What the user typed is not needed to deliver the answer.
        var json = JsonSerializer.Serialize(new OutboxPayload(inbound with { Text = null, Value = null }, replies), ConversationEngine.Json);
        if (!cipher.Enabled)
            return (json, null, null);
        var value = cipher.Seal(Purpose, json);
        return (null, value.KeyId, value.Data);
    }

    /// <summary>Called after the commit that wrote row <paramref name="id"/>: delivers it in the background.</summary>
    public void Written(ConversationAddress address, long id)
    {
        untried.TryAdd(id, 0);
        Schedule(address);
    }

    /// <summary>Delivers what is due for the conversation now, on the caller's time (terminal chat, console actions, tests).</summary>
    public Task DeliverNowAsync(ConversationAddress address, CancellationToken ct) => DeliverAsync(address, wait: true, ct, ct);

    void Schedule(ConversationAddress address)
    {
        if (!running)
            return;
        lock (loops)
        {
            if (loops.TryGetValue(address.Key, out var loop))
            {
                loop.Again = true;
                return;
            }
            loops[address.Key] = new LoopState();
        }
        queue.Writer.TryWrite(address);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        running = true;
        using var stopping = stoppingToken.Register(() => abort.CancelAfter(options.Value.DeliveryStopGrace));
        var sweeping = SweepAsync(stoppingToken);
        var active = new List<Task>();
        try
        {
            await foreach (var address in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                active.RemoveAll(t => t.IsCompleted);
                // Below the priority of the threads that acknowledge webhooks, as the turns are.
                active.Add(BackgroundScheduler.Shared.Run(() => LoopAsync(address, stoppingToken)));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(active.Append(sweeping));
    }

    async Task LoopAsync(ConversationAddress address, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                lock (loops)
                    loops[address.Key].Again = false;
                try
                {
                    await DeliverAsync(address, wait: false, ct, abort.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Left pending; the sweep comes back to it.
                    LogLoopFailed(e, address.Channel);
                }
                lock (loops)
                {
                    if (!loops[address.Key].Again || ct.IsCancellationRequested)
                    {
                        loops.Remove(address.Key);
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            lock (loops)
                loops.Remove(address.Key);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>
    /// Delivers the conversation's due rows in order. With <paramref name="wait"/> it waits for another host's delivery
    /// of the same conversation to finish; without, it leaves the conversation to that host. No row is started once
    /// <paramref name="ct"/> is cancelled; a send under way and its record run until <paramref name="finish"/> is.
    /// </summary>
    async Task DeliverAsync(ConversationAddress address, bool wait, CancellationToken ct, CancellationToken finish)
    {
        using var held = await local.LockAsync(address.Key, ct);
        await using var conn = await Pool.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                // The bookkeeping of a delivery need not wait for the disk: if a crash loses it, the row is simply tried
                // again and LINE recognises the repeat (a used reply token, an accepted retry key). Sessions of this
                // pool only ever run outbox statements.
                new(wait
                    ? "select set_config('synchronous_commit', 'off', false), true from (select pg_advisory_lock(hashtextextended($1, 2))) locked"
                    : "select set_config('synchronous_commit', 'off', false), pg_try_advisory_lock(hashtextextended($1, 2))")
                    { Parameters = { new() { Value = address.Key } } },
                NextCommand(address),
            },
        };
        Row? row;
        var locked = new Ref<bool>(false);
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            locked.Value = reader.GetBoolean(1);
            await reader.NextResultAsync(ct);
            row = locked.Value ? await ReadRowAsync(reader, ct) : null;
        }
        try
        {
            while (row is not null && row.NextAttemptAt <= time.GetUtcNow() && !ct.IsCancellationRequested)
            {
                var item = Open(address, row);
                var delivery = item is null
                    ? new Delivery(DeliveryStatus.Undeliverable, Error: "payload cannot be opened")
                    : await senders.DeliverAsync(item, finish);
                row = await RecordAsync(conn, address, row, delivery, locked, finish);
            }
        }
        finally
        {
            if (locked.Value)
            {
                try
                {
                    await using var unlock = new NpgsqlBatch(conn) { BatchCommands = { UnlockCommand(address) } };
                    await unlock.ExecuteNonQueryAsync(CancellationToken.None);
                }
                catch (Exception) when (conn.State != System.Data.ConnectionState.Closed)
                {
                    // A session that may still hold the lock must not go back to the pool: closing it ends the lock.
                    NpgsqlConnection.ClearPool(conn);
                    throw;
                }
            }
        }
    }

    OutboxItem? Open(ConversationAddress address, Row row)
    {
        OutboxPayload? payload;
        try
        {
            var json = row.Json ?? cipher.Open(Purpose, new Sealed(row.KeyId!, row.Sealed!));
            payload = JsonSerializer.Deserialize<OutboxPayload>(json, ConversationEngine.Json);
        }
        catch (Exception e) when (e is JsonException or System.Security.Cryptography.CryptographicException)
        {
            LogUnreadable(e, address.Channel);
            return null;
        }
        if (payload is null)
            return null;
        var maybeAttempted = !untried.TryRemove(row.Id, out _) || row.Attempts > 0;
        return new OutboxItem(row.Id, row.DeliveryKey, address, payload.Inbound, payload.Replies, row.Progress, row.ReplyUsed, maybeAttempted, row.Attempts, row.CreatedAt);
    }

    /// <summary>
    /// Records the attempt and, in the same round trip, reads the next row, or releases the conversation when there is
    /// none (or this row must be retried first): then <paramref name="locked"/> becomes false.
    /// </summary>
    async Task<Row?> RecordAsync(NpgsqlConnection conn, ConversationAddress address, Row row, Delivery delivery, Ref<bool> locked, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var status = delivery.Status;
        if (status == DeliveryStatus.RetryLater && now - row.CreatedAt >= options.Value.DeliveryRetryFor)
            status = DeliveryStatus.Undeliverable;
        NpgsqlBatchCommand record = status switch
        {
            DeliveryStatus.Delivered => new("delete from conversation.outbox where id = $1") { Parameters = { new() { Value = row.Id } } },
            DeliveryStatus.RetryLater => new("""
                update conversation.outbox set attempts = attempts + 1, progress = $2, reply_used = $3, last_error = $4, next_attempt_at = $5
                where id = $1
                """)
            {
                Parameters =
                {
                    new() { Value = row.Id }, new() { Value = delivery.Progress }, new() { Value = delivery.ReplyUsed },
                    new() { Value = delivery.Error ?? "failed", NpgsqlDbType = NpgsqlDbType.Text }, new() { Value = now + Backoff(row.Attempts + 1, delivery.RetryAfter) },
                },
            },
            _ => new("""
                update conversation.outbox set attempts = attempts + 1, progress = $2, reply_used = $3, last_error = $4, failed_at = $5
                where id = $1
                """)
            {
                Parameters =
                {
                    new() { Value = row.Id }, new() { Value = delivery.Progress }, new() { Value = delivery.ReplyUsed },
                    new() { Value = delivery.Error ?? "failed", NpgsqlDbType = NpgsqlDbType.Text }, new() { Value = now },
                },
            },
        };
        if (status == DeliveryStatus.Undeliverable)
            LogSetAside(address.Channel, row.Attempts + 1, delivery.Error);
        else if (status == DeliveryStatus.RetryLater)
            LogRetry(address.Channel, row.Attempts + 1, delivery.Error);
        // The mark commits before the lock is released: a batch is one implicit transaction, and a session lock released
        // inside it would let another host read the row before its deletion is visible and deliver it twice.
        await using (var mark = new NpgsqlBatch(conn) { BatchCommands = { record } })
            await mark.ExecuteNonQueryAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        if (status == DeliveryStatus.RetryLater)
        {
            batch.BatchCommands.Add(UnlockCommand(address));
            await batch.ExecuteNonQueryAsync(ct);
            locked.Value = false;
            return null;
        }
        batch.BatchCommands.Add(NextCommand(address));
        // Released in the same round trip when nothing is left; a row written meanwhile is scheduled by its turn.
        batch.BatchCommands.Add(new("""
            select pg_advisory_unlock(hashtextextended($1, 2))
            where not exists (select from conversation.outbox where conversation_key = $1 and failed_at is null)
            """) { Parameters = { new() { Value = address.Key } } });
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var next = await ReadRowAsync(reader, ct);
        await reader.NextResultAsync(ct);
        if (await reader.ReadAsync(ct))
            locked.Value = false;
        return locked.Value ? next : null;
    }

    static NpgsqlBatchCommand UnlockCommand(ConversationAddress address) =>
        new("select pg_advisory_unlock(hashtextextended($1, 2))") { Parameters = { new() { Value = address.Key } } };

    sealed class Ref<T>(T value)
    {
        public T Value = value;
    }

    TimeSpan Backoff(int attempts, TimeSpan? retryAfter)
    {
        var o = options.Value;
        var exponential = o.DeliveryRetryDelay * Math.Pow(2, Math.Min(attempts - 1, 20));
        var delay = exponential > o.DeliveryRetryMaxDelay ? o.DeliveryRetryMaxDelay : exponential;
        // Jitter spreads the retries of many conversations that failed together (an outage).
        delay *= 0.75 + Random.Shared.NextDouble() * 0.5;
        return retryAfter is { } after && after > delay ? after : delay;
    }

    static NpgsqlBatchCommand NextCommand(ConversationAddress address) => new("""
        select id, delivery_key, payload, key_id, sealed, attempts, progress, reply_used, next_attempt_at, created_at
        from conversation.outbox where conversation_key = $1 and failed_at is null order by id limit 1
        """) { Parameters = { new() { Value = address.Key } } };

    static async Task<Row?> ReadRowAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct))
            return null;
        return new Row(reader.GetInt64(0), reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4),
            reader.GetInt32(5), reader.GetInt32(6), reader.GetBoolean(7), reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9));
    }

    Task SweepAsync(CancellationToken ct) => PeriodicSweep.RunAsync(options.Value.PendingSweepInterval, time, async token =>
    {
        foreach (var address in await FindDueAsync(token))
            Schedule(address);
    }, LogSweepFailed, ct);

    /// <summary>Conversations whose oldest pending row is due: left by a crash or another host, or back from a back-off.</summary>
    async Task<List<ConversationAddress>> FindDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var cmd = db.CreateCommand("""
            select conversation_key from (
                select distinct on (conversation_key) conversation_key, next_attempt_at, attempts, created_at
                from conversation.outbox where failed_at is null
                order by conversation_key, id) oldest
            where next_attempt_at <= $1 and (attempts > 0 or created_at < $2)
            limit 500
            """);
        cmd.Parameters.Add(new() { Value = now });
        cmd.Parameters.Add(new() { Value = now - SweepGrace });
        var found = new List<ConversationAddress>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            found.Add(ConversationAddress.Parse(reader.GetString(0)));
        return found;
    }

    /// <summary>Rows still to deliver and rows set aside, for /health/delivery and the console.</summary>
    public async Task<(long Pending, long SetAside)> CountsAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select (select count(*) from conversation.outbox where failed_at is null),
                   (select count(*) from conversation.outbox where failed_at is not null)
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    sealed record Row(long Id, Guid DeliveryKey, string? Json, string? KeyId, byte[]? Sealed, int Attempts, int Progress, bool ReplyUsed,
        DateTimeOffset NextAttemptAt, DateTimeOffset CreatedAt);

    sealed class LoopState
    {
        public bool Again;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering a conversation's replies on channel {Channel} failed; the sweep will retry")]
    partial void LogLoopFailed(Exception e, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for replies to deliver failed")]
    partial void LogSweepFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "An outbox row on channel {Channel} cannot be read; it is set aside")]
    partial void LogUnreadable(Exception e, string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replies on channel {Channel} not delivered (attempt {Attempt}: {Error}); retrying after a back-off")]
    partial void LogRetry(string channel, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Replies on channel {Channel} set aside after {Attempts} attempts ({Error}); see /health/delivery")]
    partial void LogSetAside(string channel, int attempts, string? error);
}

/// <summary>What an outbox row carries: the inbound activity's delivery details (reply token, event id, time) and the replies.</summary>
public sealed record OutboxPayload(Activity Inbound, IReadOnlyList<Activity> Replies);

/// <summary>One in-process holder per key at a time; entries go away when no one holds or waits for them.</summary>
sealed class KeyedLock
{
    readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> gates = new(StringComparer.Ordinal);

    public async Task<IDisposable> LockAsync(string key, CancellationToken ct)
    {
        SemaphoreSlim gate;
        lock (gates)
        {
            var entry = gates.TryGetValue(key, out var found) ? found : (Gate: new SemaphoreSlim(1, 1), Users: 0);
            gates[key] = (entry.Gate, entry.Users + 1);
            gate = entry.Gate;
        }
        try
        {
            await gate.WaitAsync(ct);
        }
        catch
        {
            Leave(key);
            throw;
        }
        return new Releaser(this, key, gate);
    }

    void Leave(string key)
    {
        lock (gates)
        {
            var entry = gates[key];
            if (entry.Users == 1)
                gates.Remove(key);
            else
                gates[key] = (entry.Gate, entry.Users - 1);
        }
    }

    sealed class Releaser(KeyedLock owner, string key, SemaphoreSlim gate) : IDisposable
    {
        public void Dispose()
        {
            gate.Release();
            owner.Leave(key);
        }
    }
}
