using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using FrontDesk.Bot.Registration;
using Npgsql;
using NpgsqlTypes;

namespace FrontDesk.Bot.Conversations;

/// <summary>
/// Runs turns one at a time per conversation, in arrival order, across every host sharing the database:
/// accepted activities wait in <c>conversation.inbound</c>; a drain takes a PostgreSQL advisory lock on the
/// conversation, then for each pending activity loads state, runs the pipeline, and saves state, transcript, the
/// replies (into <c>conversation.outbox</c>) and the removal of the inbound row in one statement guarded by the
/// state's version. The <see cref="Outbox"/> delivers the replies afterwards, outside the turn.
/// With the personal-data keys configured, inbound activities and replies are stored sealed.
/// </summary>
public sealed partial class ConversationEngine(
    NpgsqlDataSource db,
    TurnPipeline pipeline,
    Outbox outbox,
    FieldCipher cipher,
    TimeProvider time,
    IOptions<ConversationOptions> options,
    ILogger<ConversationEngine> logger)
{
    const int MaxFailedAttempts = 3;
    const string InboundPurpose = "conversation.inbound";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Records the activity durably; processing happens in a drain.</summary>
    public async Task<long> AcceptAsync(ConversationAddress address, Activity activity, CancellationToken ct)
    {
        var clean = InputSanitizer.Clean(activity, options.Value.MaxInputLength);
        if (clean.Timestamp == default)
            clean = clean with { Timestamp = time.GetUtcNow() };
        // Accepts for one conversation take turns (a transaction lock apart from the drain's), so ids are handed out
        // and committed in the same order and a drain never runs a later message before an earlier one commits.
        var (json, keyId, sealedValue) = Inbound(JsonSerializer.Serialize(clean, Json));
        await using var cmd = db.CreateCommand("""
            with turn as (select pg_advisory_xact_lock(hashtextextended(@key, 1)))
            insert into conversation.inbound (conversation_key, activity, key_id, sealed, received_at)
            select @key, @activity, @keyId, @sealed, @now from turn returning id
            """);
        cmd.Parameters.AddWithValue("key", address.Key);
        cmd.Parameters.Add(new NpgsqlParameter("activity", NpgsqlDbType.Jsonb) { Value = (object?)json ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("keyId", NpgsqlDbType.Text) { Value = (object?)keyId ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("sealed", NpgsqlDbType.Bytea) { Value = (object?)sealedValue ?? DBNull.Value });
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The engine's statements for a channel that records activities in the same batch as rows of its own (LINE: the
    /// dedupe rows of its webhook inbox), so both commit together in one round trip; the channel then calls
    /// <see cref="TurnDispatcher.Schedule"/>. The first takes the conversations' accept locks as <see cref="AcceptAsync"/>
    /// does, in key order so two writes never wait on each other in a circle. The second runs the channel's
    /// <paramref name="gate"/>, a data-modifying query with parameters $1…$n that returns the <c>id</c> of each row it
    /// really wrote, and queues the activities whose GateId it returned, in list order. Read the ids with
    /// <see cref="ReadGatedAsync"/>.
    /// </summary>
    public NpgsqlBatchCommand[] AcceptCommands(IReadOnlyList<GatedAccept> items, string gate, IReadOnlyList<NpgsqlParameter> gateParameters)
    {
        var now = time.GetUtcNow();
        var rows = items.Select(item =>
        {
            var clean = InputSanitizer.Clean(item.Activity, options.Value.MaxInputLength);
            return Inbound(JsonSerializer.Serialize(clean.Timestamp == default ? clean with { Timestamp = now } : clean, Json));
        }).ToList();
        var keys = items.Select(i => i.Address.Key).ToArray();
        var n = gateParameters.Count;
        var queue = new NpgsqlBatchCommand($"""
            with gate as ({gate}),
            queued as (
                insert into conversation.inbound (conversation_key, activity, key_id, sealed, received_at)
                select q.key, q.activity, q.key_id, q.sealed, ${n + 6}
                from unnest(${n + 1}::text[], ${n + 2}::text[], ${n + 3}::jsonb[], ${n + 4}::text[], ${n + 5}::bytea[])
                    with ordinality as q(id, key, activity, key_id, sealed, n)
                join gate on gate.id = q.id
                order by q.n)
            select id from gate
            """);
        foreach (var parameter in gateParameters)
            queue.Parameters.Add(parameter);
        queue.Parameters.Add(Array(items.Select(i => i.GateId).ToArray(), NpgsqlDbType.Text));
        queue.Parameters.Add(Array(keys, NpgsqlDbType.Text));
        queue.Parameters.Add(Array(rows.Select(r => r.Json).ToArray(), NpgsqlDbType.Jsonb));
        queue.Parameters.Add(Array(rows.Select(r => r.KeyId).ToArray(), NpgsqlDbType.Text));
        queue.Parameters.Add(Array(rows.Select(r => r.Sealed).ToArray(), NpgsqlDbType.Bytea));
        queue.Parameters.Add(new() { Value = now });
        return
        [
            new("select count(pg_advisory_xact_lock(hashtextextended(k, 1))) from (select distinct k from unnest($1::text[]) as k order by k) keys")
            {
                Parameters = { Array(keys, NpgsqlDbType.Text) },
            },
            queue,
        ];
    }

    /// <summary>The ids the gate returned, from a batch that begins with <see cref="AcceptCommands"/>.</summary>
    public static async Task<HashSet<string>> ReadGatedAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        await reader.NextResultAsync(ct); // past the locks
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetString(0));
        return ids;
    }

    static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType type) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type };

    (string? Json, string? KeyId, byte[]? Sealed) Inbound(string json)
    {
        if (!cipher.Enabled)
            return (json, null, null);
        var value = cipher.Seal(InboundPurpose, json);
        return (null, value.KeyId, value.Data);
    }

    /// <summary>Accepts the activity and processes it before returning (terminal chat, kiosk, tests).</summary>
    public async Task HandleAsync(ConversationAddress address, Activity activity, CancellationToken ct)
    {
        await AcceptAsync(address, activity, ct);
        await DrainAsync(address, ct);
        await outbox.DeliverNowAsync(address, ct);
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
                var (saved, outboxId, next) = await SaveAsync(conn, address, pending, turn, ct);
                if (saved)
                {
                    if (outboxId is { } id)
                        outbox.Written(address, id);
                    return next;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage failed (the pipeline itself never throws: ErrorMiddleware catches flow failures).
                // Set aside for good: tell the user rather than stay silent, then go on with the next message.
                var apology = new TurnContext(address, pending.Inbound, new ConversationState(), time.GetUtcNow());
                apology.Say(BotTexts.TurnFailed);
                if (await RecordFailureAsync(conn, address, pending, apology.Outbound, e, ct) is not { } apologyId)
                    return null;
                outbox.Written(address, apologyId);
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
        new("select id, activity::text, key_id, sealed from conversation.inbound where conversation_key = $1 and failed_at is null order by id limit 1") { Parameters = { new() { Value = address.Key } } },
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

    async Task<Pending?> ReadPendingAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct))
            return null;
        var id = reader.GetInt64(0);
        var json = reader.IsDBNull(1) ? cipher.Open(InboundPurpose, new Sealed(reader.GetString(2), reader.GetFieldValue<byte[]>(3))) : reader.GetString(1);
        var inbound = JsonSerializer.Deserialize<Activity>(json, Json)!;
        await reader.NextResultAsync(ct);
        if (await reader.ReadAsync(ct))
            return new Pending(id, inbound, JsonSerializer.Deserialize<ConversationState>(reader.GetString(0), Json)!, reader.GetInt32(1));
        return new Pending(id, inbound, new ConversationState(), 0);
    }

    /// <summary>
    /// One statement saves the state (only if its version still matches), the transcript rows, the outbox row with the
    /// replies and the inbound row's removal, all or nothing; the same round trip reads the next pending activity.
    /// </summary>
    async Task<(bool Saved, long? OutboxId, Pending? Next)> SaveAsync(NpgsqlConnection conn, ConversationAddress address, Pending pending, TurnContext turn, CancellationToken ct)
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
        var (payload, keyId, sealedPayload) = turn.Outbound.Count > 0 ? outbox.Payload(pending.Inbound, turn.Outbound) : (null, null, null);
        var save = new NpgsqlBatchCommand($"""
            with saved as ({saveState}),
            transcript as (
                insert into conversation.transcript (conversation_key, direction, activity, created_at)
                select $1, t.direction, t.activity, $5
                from unnest($7::text[], $8::jsonb[]) with ordinality as t(direction, activity, n), saved
                order by t.n),
            done as (delete from conversation.inbound where id = $6 and exists (select from saved)),
            outbox as (
                insert into conversation.outbox (conversation_key, payload, key_id, sealed, created_at, next_attempt_at)
                select $1, $9, $10, $11, $5, $5 from saved where $12
                returning id)
            select count(*), (select id from outbox) from saved
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
                new() { Value = (object?)payload ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)keyId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)sealedPayload ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea },
                new() { Value = turn.Outbound.Count > 0 },
            },
        };
        await using var batch = new NpgsqlBatch(conn) { BatchCommands = { save } };
        foreach (var command in LoadCommands(address))
            batch.BatchCommands.Add(command);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        if (reader.GetInt64(0) != 1)
            return (false, null, null);
        long? outboxId = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        await reader.NextResultAsync(ct);
        return (true, outboxId, await ReadPendingAsync(reader, ct));
    }

    readonly record struct Pending(long Id, Activity Inbound, ConversationState State, int Version);

    /// <summary>Counts the failure; when it is the last one, sets the message aside and queues the apology in the same statement. Returns the apology's outbox row.</summary>
    async Task<long?> RecordFailureAsync(NpgsqlConnection conn, ConversationAddress address, Pending pending, IReadOnlyList<Activity> apology, Exception error, CancellationToken ct)
    {
        LogStorageFailed(error, address.Channel);
        try
        {
            var (payload, keyId, sealedPayload) = outbox.Payload(pending.Inbound, apology);
            await using var cmd = new NpgsqlCommand("""
                with failed as (
                    update conversation.inbound
                    set attempts = attempts + 1, last_error = @error,
                        failed_at = case when attempts + 1 >= @max then @now end
                    where id = @id
                    returning failed_at is not null as set_aside),
                apology as (
                    insert into conversation.outbox (conversation_key, payload, key_id, sealed, created_at, next_attempt_at)
                    select @key, @payload, @keyId, @sealed, @now, @now from failed where set_aside
                    returning id)
                select id from apology
                """, conn);
            cmd.Parameters.AddWithValue("id", pending.Id);
            cmd.Parameters.AddWithValue("key", address.Key);
            cmd.Parameters.AddWithValue("error", error.GetType().Name);
            cmd.Parameters.AddWithValue("max", MaxFailedAttempts);
            cmd.Parameters.AddWithValue("now", time.GetUtcNow());
            cmd.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Text) { Value = (object?)payload ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("keyId", NpgsqlDbType.Text) { Value = (object?)keyId ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("sealed", NpgsqlDbType.Bytea) { Value = (object?)sealedPayload ?? DBNull.Value });
            // A message that failed for good is set aside so the ones after it still get processed.
            return await cmd.ExecuteScalarAsync(ct) is long id ? id : null;
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "State changed during a turn on channel {Channel}; re-running (attempt {Attempt})")]
    partial void LogConflict(string channel, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A turn on channel {Channel} kept conflicting after {Attempts} attempts; it stays pending")]
    partial void LogGaveUp(string channel, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Saving a turn on channel {Channel} failed; it stays pending for a retry")]
    partial void LogStorageFailed(Exception e, string channel);
}

/// <summary>An activity a channel records in its own batch; <see cref="GateId"/> matches it to a row the channel's gate wrote.</summary>
public sealed record GatedAccept(string GateId, ConversationAddress Address, Activity Activity);
