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
        await using var cmd = db.CreateCommand("""
            insert into conversation.inbound (conversation_key, activity, received_at)
            values (@key, @activity, @now) returning id
            """);
        cmd.Parameters.AddWithValue("key", address.Key);
        cmd.Parameters.Add(new NpgsqlParameter("activity", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(clean, Json) });
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
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
        await using (var lockCmd = new NpgsqlCommand("select pg_advisory_lock(hashtextextended(@key, 0))", conn))
        {
            lockCmd.Parameters.AddWithValue("key", address.Key);
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        try
        {
            while (!ct.IsCancellationRequested && await RunNextTurnAsync(conn, address, ct))
            {
            }
        }
        finally
        {
            // A session lock outlives transactions; release it before the connection returns to the pool.
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(hashtextextended(@key, 0))", conn);
            unlock.Parameters.AddWithValue("key", address.Key);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Runs the oldest pending activity; false when there was none (or it must wait for a later retry).</summary>
    async Task<bool> RunNextTurnAsync(NpgsqlConnection conn, ConversationAddress address, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= options.Value.MaxTurnAttempts; attempt++)
        {
            var loaded = await LoadAsync(conn, address, ct);
            if (loaded is null)
                return false;
            var (inboundId, inbound, state, version) = loaded.Value;

            TurnContext turn;
            try
            {
                state.Turns++;
                state.LastInboundAt = inbound.Timestamp;
                turn = new TurnContext(address, inbound, state, time.GetUtcNow());
                await pipeline.RunAsync(turn, ct);
                if (await SaveAsync(conn, address, inboundId, turn, version, ct))
                {
                    await senders.SendAsync(address, inbound, turn.Outbound, ct);
                    return true;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage failed (the pipeline itself never throws: ErrorMiddleware catches flow failures).
                return await RecordFailureAsync(conn, address, inboundId, e, ct);
            }
            LogConflict(address.Channel, attempt);
        }
        LogGaveUp(address.Channel, options.Value.MaxTurnAttempts);
        return false;
    }

    async Task<(long Id, Activity Inbound, ConversationState State, int Version)?> LoadAsync(NpgsqlConnection conn, ConversationAddress address, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new("select id, activity from conversation.inbound where conversation_key = $1 and failed_at is null order by id limit 1") { Parameters = { new() { Value = address.Key } } },
                new("select state, version from conversation.conversations where key = $1") { Parameters = { new() { Value = address.Key } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        var id = reader.GetInt64(0);
        var inbound = JsonSerializer.Deserialize<Activity>(reader.GetString(1), Json)!;
        await reader.NextResultAsync(ct);
        if (await reader.ReadAsync(ct))
            return (id, inbound, JsonSerializer.Deserialize<ConversationState>(reader.GetString(0), Json)!, reader.GetInt32(1));
        return (id, inbound, new ConversationState(), 0);
    }

    /// <summary>One statement: state (if the version still matches), transcript rows and the inbound row's removal, all or nothing.</summary>
    async Task<bool> SaveAsync(NpgsqlConnection conn, ConversationAddress address, long inboundId, TurnContext turn, int version, CancellationToken ct)
    {
        var saveState = version == 0
            ? """
              insert into conversation.conversations (key, channel, state, version, created_at, updated_at)
              values (@key, @channel, @state, 1, @now, @now) on conflict (key) do nothing returning 1
              """
            : """
              update conversation.conversations set state = @state, version = version + 1, updated_at = @now
              where key = @key and version = @version returning 1
              """;
        await using var cmd = new NpgsqlCommand($"""
            with saved as ({saveState}),
            transcript as (
                insert into conversation.transcript (conversation_key, direction, activity, created_at)
                select @key, t.direction, t.activity, @now
                from unnest(@directions, @activities) with ordinality as t(direction, activity, n), saved
                order by t.n),
            done as (delete from conversation.inbound where id = @inbound and exists (select from saved))
            select count(*) from saved
            """, conn);
        cmd.Parameters.AddWithValue("key", address.Key);
        cmd.Parameters.AddWithValue("channel", address.Channel);
        cmd.Parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(turn.State, Json) });
        cmd.Parameters.AddWithValue("version", version);
        cmd.Parameters.AddWithValue("now", turn.Now);
        cmd.Parameters.AddWithValue("inbound", inboundId);
        cmd.Parameters.Add(new NpgsqlParameter("directions", NpgsqlDbType.Array | NpgsqlDbType.Char)
        {
            Value = turn.Transcript.Select(t => t.Direction == TranscriptDirection.Inbound ? "i" : "o").ToArray(),
        });
        cmd.Parameters.Add(new NpgsqlParameter("activities", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
        {
            Value = turn.Transcript.Select(t => JsonSerializer.Serialize(t.Activity, Json)).ToArray(),
        });
        return (long)(await cmd.ExecuteScalarAsync(ct))! == 1;
    }

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
