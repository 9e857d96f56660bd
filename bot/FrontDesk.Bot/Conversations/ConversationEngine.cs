using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace FrontDesk.Bot.Conversations;

/// <summary>
/// Runs turns one at a time per conversation, in arrival order, across every host sharing the database:
/// accepted activities wait in <c>conversation.inbound</c>; a drain takes a PostgreSQL advisory lock on the
/// conversation, then for each pending activity loads state, runs the pipeline, saves state, transcript and the
/// removal of the inbound row in one statement guarded by the state's version, and only then sends the replies.
/// </summary>
public sealed partial class ConversationEngine(
    NpgsqlDataSource db,
    TurnPipeline pipeline,
    ChannelSenders senders,
    TimeProvider time,
    IOptions<ConversationOptions> options,
    ILogger<ConversationEngine> logger)
{
    const int MaxFailedAttempts = 3;
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Records the activity durably; processing happens in a drain.</summary>
    public async Task<long> AcceptAsync(ConversationAddress address, Activity activity, CancellationToken ct)
    {
        var clean = InputSanitizer.Clean(activity, options.Value.MaxInputLength);
        if (clean.Timestamp == default)
            clean = clean with { Timestamp = time.GetUtcNow() };
        // Accepts for one conversation take turns (a transaction lock apart from the drain's), so ids are handed out
        // and committed in the same order and a drain never runs a later message before an earlier one commits.
        await using var cmd = db.CreateCommand("""
            with turn as (select pg_advisory_xact_lock(hashtextextended(@key, 1)))
            insert into conversation.inbound (conversation_key, activity, received_at)
            select @key, @activity, @now from turn returning id
            """);
        cmd.Parameters.AddWithValue("key", address.Key);
        cmd.Parameters.Add(new NpgsqlParameter("activity", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(clean, Json) });
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The activities as <c>conversation.inbound.activity</c> values (cleaned, timestamped), for a channel that records
    /// them in the same statement as its own dedupe rows (LINE) and then calls <see cref="TurnDispatcher.Schedule"/>.
    /// </summary>
    public string[] ToInboundJson(IReadOnlyList<Activity> items)
    {
        var now = time.GetUtcNow();
        return items.Select(a =>
        {
            var clean = InputSanitizer.Clean(a, options.Value.MaxInputLength);
            return JsonSerializer.Serialize(clean.Timestamp == default ? clean with { Timestamp = now } : clean, Json);
        }).ToArray();
    }

    /// <summary>Accepts the activity and processes it before returning (terminal chat, kiosk, tests).</summary>
    public async Task HandleAsync(ConversationAddress address, Activity activity, CancellationToken ct)
    {
        await AcceptAsync(address, activity, ct);
        await DrainAsync(address, ct);
    }

    /// <summary>Processes every pending activity of the conversation, oldest first. Safe to call from any host at any time.</summary>
    public async Task DrainAsync(ConversationAddress address, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        // The lock and the first read travel together; the lock is taken before the reads run.
        var next = await LoadAsync(conn, address, takeLock: true, ct);
        try
        {
            while (next is not null && !ct.IsCancellationRequested)
                next = await RunTurnAsync(conn, address, next.Value, ct);
        }
        finally
        {
            // A session lock outlives transactions; release it before the connection returns to the pool.
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(hashtextextended($1, 0))", conn) { Parameters = { new() { Value = address.Key } } };
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Runs one pending activity (re-running it if the state changed meanwhile) and returns the next one, if any.</summary>
    async Task<Pending?> RunTurnAsync(NpgsqlConnection conn, ConversationAddress address, Pending pending, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= options.Value.MaxTurnAttempts; attempt++)
        {
            try
            {
                pending.State.Turns++;
                pending.State.LastInboundAt = pending.Inbound.Timestamp;
                var turn = new TurnContext(address, pending.Inbound, pending.State, time.GetUtcNow());
                await pipeline.RunAsync(turn, ct);
                var (saved, next) = await SaveAsync(conn, address, pending, turn, ct);
                if (saved)
                {
                    await senders.SendAsync(address, pending.Inbound, turn.Outbound, ct);
                    return next;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage failed (the pipeline itself never throws: ErrorMiddleware catches flow failures).
                if (!await RecordFailureAsync(conn, address, pending.Id, e, ct))
                    return null;
                // Set aside for good: tell the user rather than stay silent, then go on with the next message.
                var apology = new TurnContext(address, pending.Inbound, new ConversationState(), time.GetUtcNow());
                apology.Say(BotTexts.TurnFailed);
                await senders.SendAsync(address, pending.Inbound, apology.Outbound, ct);
                return await LoadAsync(conn, address, takeLock: false, ct);
            }
            LogConflict(address.Channel, attempt);
            var reloaded = await LoadAsync(conn, address, takeLock: false, ct);
            if (reloaded is null)
                return null;
            pending = reloaded.Value;
        }
        LogGaveUp(address.Channel, options.Value.MaxTurnAttempts);
        return null;
    }

    static NpgsqlBatchCommand[] LoadCommands(ConversationAddress address) =>
    [
        new("select id, activity from conversation.inbound where conversation_key = $1 and failed_at is null order by id limit 1") { Parameters = { new() { Value = address.Key } } },
        new("select state, version from conversation.conversations where key = $1") { Parameters = { new() { Value = address.Key } } },
    ];

    async Task<Pending?> LoadAsync(NpgsqlConnection conn, ConversationAddress address, bool takeLock, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn);
        if (takeLock)
            batch.BatchCommands.Add(new("select pg_advisory_lock(hashtextextended($1, 0))") { Parameters = { new() { Value = address.Key } } });
        foreach (var command in LoadCommands(address))
            batch.BatchCommands.Add(command);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (takeLock)
            await reader.NextResultAsync(ct);
        return await ReadPendingAsync(reader, ct);
    }

    static async Task<Pending?> ReadPendingAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct))
            return null;
        var id = reader.GetInt64(0);
        var inbound = JsonSerializer.Deserialize<Activity>(reader.GetString(1), Json)!;
        await reader.NextResultAsync(ct);
        if (await reader.ReadAsync(ct))
            return new Pending(id, inbound, JsonSerializer.Deserialize<ConversationState>(reader.GetString(0), Json)!, reader.GetInt32(1));
        return new Pending(id, inbound, new ConversationState(), 0);
    }

    /// <summary>
    /// One statement saves the state (only if its version still matches), the transcript rows and the inbound row's
    /// removal, all or nothing; the same round trip reads the next pending activity.
    /// </summary>
    async Task<(bool Saved, Pending? Next)> SaveAsync(NpgsqlConnection conn, ConversationAddress address, Pending pending, TurnContext turn, CancellationToken ct)
    {
        var saveState = pending.Version == 0
            ? """
              insert into conversation.conversations (key, channel, state, version, created_at, updated_at)
              values ($1, $2, $3, 1, $5, $5) on conflict (key) do nothing returning 1
              """
            : """
              update conversation.conversations set state = $3, version = version + 1, updated_at = $5
              where key = $1 and version = $4 returning 1
              """;
        var save = new NpgsqlBatchCommand($"""
            with saved as ({saveState}),
            transcript as (
                insert into conversation.transcript (conversation_key, direction, activity, created_at)
                select $1, t.direction, t.activity, $5
                from unnest($7::text[], $8::jsonb[]) with ordinality as t(direction, activity, n), saved
                order by t.n),
            done as (delete from conversation.inbound where id = $6 and exists (select from saved))
            select count(*) from saved
            """)
        {
            Parameters =
            {
                new() { Value = address.Key },
                new() { Value = address.Channel },
                new() { Value = JsonSerializer.Serialize(turn.State, Json), NpgsqlDbType = NpgsqlDbType.Jsonb },
                new() { Value = pending.Version },
                new() { Value = turn.Now },
                new() { Value = pending.Id },
                new() { Value = turn.Transcript.Select(t => t.Direction == TranscriptDirection.Inbound ? "i" : "o").ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new() { Value = turn.Transcript.Select(t => JsonSerializer.Serialize(t.Activity, Json)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb },
            },
        };
        await using var batch = new NpgsqlBatch(conn) { BatchCommands = { save } };
        foreach (var command in LoadCommands(address))
            batch.BatchCommands.Add(command);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        if (reader.GetInt64(0) != 1)
            return (false, null);
        await reader.NextResultAsync(ct);
        return (true, await ReadPendingAsync(reader, ct));
    }

    readonly record struct Pending(long Id, Activity Inbound, ConversationState State, int Version);

    async Task<bool> RecordFailureAsync(NpgsqlConnection conn, ConversationAddress address, long inboundId, Exception error, CancellationToken ct)
    {
        LogStorageFailed(error, address.Channel);
        try
        {
            await using var cmd = new NpgsqlCommand("""
                update conversation.inbound
                set attempts = attempts + 1, last_error = @error,
                    failed_at = case when attempts + 1 >= @max then @now end
                where id = @id
                returning failed_at is not null
                """, conn);
            cmd.Parameters.AddWithValue("id", inboundId);
            cmd.Parameters.AddWithValue("error", error.GetType().Name);
            cmd.Parameters.AddWithValue("max", MaxFailedAttempts);
            cmd.Parameters.AddWithValue("now", time.GetUtcNow());
            // A message that failed for good is set aside so the ones after it still get processed.
            return (bool?)await cmd.ExecuteScalarAsync(ct) == true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "State changed during a turn on channel {Channel}; re-running (attempt {Attempt})")]
    partial void LogConflict(string channel, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A turn on channel {Channel} kept conflicting after {Attempts} attempts; it stays pending")]
    partial void LogGaveUp(string channel, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Saving a turn on channel {Channel} failed; it stays pending for a retry")]
    partial void LogStorageFailed(Exception e, string channel);
}
