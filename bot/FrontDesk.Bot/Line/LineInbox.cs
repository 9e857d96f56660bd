using FrontDesk.Bot.Conversations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace FrontDesk.Bot.Line;

/// <summary>
/// Records webhook events durably before the webhook is acknowledged. One transaction writes the dedupe row of each
/// event (line.inbox, keyed by webhookEventId), the follow state, and the engine's inbound activities of the events
/// not seen before, so an event is either fully recorded once or not at all. The engine then processes them in the
/// background, in order per conversation, and picks up what a stopped host left behind.
/// </summary>
public sealed partial class LineInbox(
    NpgsqlDataSource db,
    ConversationEngine engine,
    TurnDispatcher dispatcher,
    TimeProvider time,
    ILogger<LineInbox> logger)
{
    public async Task<(int Recorded, int Duplicates)> RecordAsync(IReadOnlyList<LineEvent> events, CancellationToken ct)
    {
        var unique = events.DistinctBy(e => e.WebhookEventId).ToList();
        if (unique.Count == 0)
            return (0, events.Count);
        var now = time.GetUtcNow();
        var fresh = new HashSet<string>(StringComparer.Ordinal);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var batch = new NpgsqlBatch(conn, tx))
        {
            batch.BatchCommands.Add(new("""
                insert into line.inbox (webhook_event_id, event_type, mode, is_redelivery, outcome, event_at, received_at)
                select t.*, $7 from unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::timestamptz[]) as t
                on conflict (webhook_event_id) do nothing
                returning webhook_event_id
                """)
            {
                Parameters =
                {
                    Array(unique.Select(e => e.WebhookEventId), NpgsqlDbType.Text),
                    Array(unique.Select(e => e.Type), NpgsqlDbType.Text),
                    Array(unique.Select(e => e.Mode), NpgsqlDbType.Text),
                    Array(unique.Select(e => e.IsRedelivery), NpgsqlDbType.Boolean),
                    Array(unique.Select(e => e.Outcome), NpgsqlDbType.Text),
                    Array(unique.Select(e => e.At), NpgsqlDbType.TimestampTz),
                    new() { Value = now },
                },
            });
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
            await using var reader = await batch.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                fresh.Add(reader.GetString(0));
        }

        var queued = unique.Where(e => e.Activity is not null && e.Address is not null && fresh.Contains(e.WebhookEventId))
            .Select(e => (e.Address!, e.Activity!)).ToList();
        await engine.AcceptAsync(conn, tx, queued, ct);
        await tx.CommitAsync(ct);

        foreach (var address in queued.Select(q => q.Item1).Distinct())
            dispatcher.Schedule(address);
        var duplicates = events.Count - fresh.Count;
        if (duplicates > 0)
            LogDuplicates(duplicates);
        return (fresh.Count, duplicates);
    }

    static NpgsqlParameter Array<T>(IEnumerable<T> values, NpgsqlDbType type) => new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} LINE webhook events were already recorded (duplicates or redeliveries)")]
    partial void LogDuplicates(int count);
}
