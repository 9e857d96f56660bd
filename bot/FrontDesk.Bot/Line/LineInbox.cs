using System.Collections.Concurrent;
using FrontDesk.Bot.Conversations;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace FrontDesk.Bot.Line;

/// <summary>
/// Records webhook events durably before the webhook is acknowledged. One batch writes the dedupe row of each event
/// (line.inbox, keyed by webhookEventId) and, through the engine's accept commands, the engine's activities for the
/// rows it really inserted; the follow state travels in the same round trip and implicit transaction. So an event is either fully
/// recorded once or not at all, and a duplicate never reaches the engine. The engine then processes the activities in
/// the background, in order per conversation, and picks up what a stopped host left behind.
/// Concurrent webhooks share a commit: while one write is in flight, the events of the requests arriving meanwhile
/// gather and go out together in the next statement (group commit), so the acknowledgement under load costs one
/// round trip per batch instead of one per request (see LINE-NOTES.md).
/// </summary>
public sealed partial class LineInbox(
    NpgsqlDataSource db,
    ConversationEngine engine,
    TurnDispatcher dispatcher,
    TimeProvider time,
    ILogger<LineInbox> logger)
{
    /// <summary>
    /// Writes in flight at once; the requests arriving meanwhile gather for the next one. Four rather than two: when a
    /// commit is slow (a busy disk or CPU), a request waited for a free writer as long as for its own commit.
    /// </summary>
    const int ConcurrentWrites = 4;
    const int MaxEventsPerWrite = 1000;

    sealed record Pending(IReadOnlyList<LineEvent> Events, TaskCompletionSource<HashSet<string>> Done);

    readonly ConcurrentQueue<Pending> queue = new();
    readonly SemaphoreSlim writers = new(ConcurrentWrites);

    public async Task<(int Recorded, int Duplicates)> RecordAsync(IReadOnlyList<LineEvent> events, CancellationToken ct)
    {
        var unique = events.DistinctBy(e => e.WebhookEventId).ToList();
        if (unique.Count == 0)
            return (0, events.Count);
        var pending = new Pending(unique, new TaskCompletionSource<HashSet<string>>(TaskCreationOptions.RunContinuationsAsynchronously));
        queue.Enqueue(pending);
        // Not awaited: a request that becomes the writer must not wait for the batches of later requests.
        _ = WriteQueuedAsync();
        // The write goes on if this request is aborted: LINE redelivers, and the dedupe row makes that harmless.
        var fresh = await pending.Done.Task.WaitAsync(ct);
        var duplicates = events.Count - fresh.Count;
        if (duplicates > 0)
            LogDuplicates(duplicates);
        return (fresh.Count, duplicates);
    }

    /// <summary>Becomes a writer when one is free and writes until the queue is empty; otherwise a running writer takes this request. Never throws.</summary>
    async Task WriteQueuedAsync()
    {
        while (!queue.IsEmpty && writers.Wait(0))
        {
            try
            {
                while (Take() is { Count: > 0 } batch)
                    await WriteAsync(batch);
            }
            finally
            {
                writers.Release();
            }
        }
    }

    List<Pending> Take()
    {
        var batch = new List<Pending>();
        var count = 0;
        while (count < MaxEventsPerWrite && queue.TryDequeue(out var pending))
        {
            batch.Add(pending);
            count += pending.Events.Count;
        }
        return batch;
    }

    async Task WriteAsync(List<Pending> batch)
    {
        List<ConversationAddress> recorded;
        try
        {
            (var fresh, recorded) = await InsertAsync(batch.SelectMany(p => p.Events).DistinctBy(e => e.WebhookEventId).ToList(), CancellationToken.None);
            // An id sent in two requests of one batch counts as recorded for the first only.
            foreach (var pending in batch)
            {
                var mine = pending.Events.Select(e => e.WebhookEventId).Where(fresh.Remove).ToHashSet(StringComparer.Ordinal);
                pending.Done.SetResult(mine);
            }
        }
        catch (Exception) when (batch.Count > 1)
        {
            // One request's events must not fail the others: write them one by one so only the culprit fails.
            foreach (var pending in batch)
                await WriteAsync([pending]);
            return;
        }
        catch (Exception e)
        {
            batch[0].Done.TrySetException(e);
            return;
        }
        // Only once the acknowledgements are released: scheduling shares a lock with the turns, which run at a lower
        // priority, and an acknowledgement must never wait for them.
        foreach (var address in recorded)
            dispatcher.Schedule(address);
    }

    async Task<(HashSet<string> Fresh, List<ConversationAddress> Recorded)> InsertAsync(IReadOnlyList<LineEvent> unique, CancellationToken ct)
    {
        var candidates = unique.Where(e => e.Activity is not null && e.Address is not null).ToList();
        await using var batch = db.CreateBatch();
        // The dedupe rows are the gate: the engine queues the activity of an event only if its row was really inserted.
        var accept = engine.AcceptCommands(candidates.Select(e => new GatedAccept(e.WebhookEventId, e.Address!, e.Activity!)).ToList(), """
            insert into line.inbox (webhook_event_id, event_type, mode, is_redelivery, outcome, event_at, received_at)
            select t.*, $7 from unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::timestamptz[]) as t
            on conflict (webhook_event_id) do nothing
            returning webhook_event_id as id
            """,
            [
                Array(unique.Select(e => e.WebhookEventId), NpgsqlDbType.Text),
                Array(unique.Select(e => e.Type), NpgsqlDbType.Text),
                Array(unique.Select(e => e.Mode), NpgsqlDbType.Text),
                Array(unique.Select(e => e.IsRedelivery), NpgsqlDbType.Boolean),
                Array(unique.Select(e => e.Outcome), NpgsqlDbType.Text),
                Array(unique.Select(e => e.At), NpgsqlDbType.TimestampTz),
                new() { Value = time.GetUtcNow() },
            ]);
        foreach (var command in accept)
            batch.BatchCommands.Add(command);
        // The newest follow or unfollow per user wins, also against rows written by earlier requests.
        var following = unique.Where(e => e.Following is not null && e.Address is not null)
            .GroupBy(e => e.Address!.Id).Select(g => g.MaxBy(e => e.At)!).ToList();
        if (following.Count > 0)
            batch.BatchCommands.Add(new("""
                insert into line.users (user_id, following, changed_at)
                select * from unnest($1::text[], $2::boolean[], $3::timestamptz[])
                on conflict (user_id) do update set following = excluded.following, changed_at = excluded.changed_at
                where line.users.changed_at <= excluded.changed_at
                """)
            {
                Parameters =
                {
                    Array(following.Select(e => e.Address!.Id), NpgsqlDbType.Text),
                    Array(following.Select(e => e.Following!.Value), NpgsqlDbType.Boolean),
                    Array(following.Select(e => e.At), NpgsqlDbType.TimestampTz),
                },
            });
        // Without an explicit transaction the batch runs as one implicit transaction: committed once it is read.
        HashSet<string> fresh;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
            fresh = await ConversationEngine.ReadGatedAsync(reader, ct);

        return (fresh, candidates.Where(e => fresh.Contains(e.WebhookEventId)).Select(e => e.Address!).Distinct().ToList());
    }

    static NpgsqlParameter Array<T>(IEnumerable<T> values, NpgsqlDbType type) => new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} LINE webhook events were already recorded (duplicates or redeliveries)")]
    partial void LogDuplicates(int count);
}
