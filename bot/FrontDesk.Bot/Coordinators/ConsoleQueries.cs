using System.Text.Json;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Handoff;
using Npgsql;

namespace FrontDesk.Bot.Coordinators;

/// <summary>A handed-off conversation in the queue; <see cref="Device"/> is the kiosk it runs on (kiosk conversations only).</summary>
public sealed record QueueItem(string Key, string Channel, HandoffState Handoff, IReadOnlyDictionary<string, string> Profile, IReadOnlyList<TranscriptLine> Recent,
    string? Device = null);

public sealed record TranscriptLine(DateTimeOffset At, bool Inbound, string Text, bool FromCoordinator);

/// <summary>One past conversation found by the transcript search: when it ran, how long, and a line that matched.</summary>
public sealed record SearchHit(string Key, string Channel, DateTimeOffset First, DateTimeOffset Last, int Lines, string? Match);

/// <summary>
/// What the hub tells every console when a handed-off conversation changed: its place in the queue and its latest lines.
/// <see cref="Status"/> is "waiting", "active" or "closed" (back with the bot); a higher <see cref="Version"/> is newer.
/// </summary>
public sealed record ConversationChange(string Key, string Channel, int Version, string Status, string? Coordinator, string? Reason,
    DateTimeOffset? RequestedAt, IReadOnlyList<TranscriptLine> Recent, string? DisplayName = null);

/// <summary>What the console shows: handed-off conversations from the conversation state, and transcripts.</summary>
public sealed class ConsoleQueries(NpgsqlDataSource db)
{
    public async Task<List<QueueItem>> QueueAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select c.key, c.channel, c.state::text,
                   coalesce((select json_agg(r order by r.id) from (
                       select t.id, t.created_at, t.direction, t.activity from conversation.transcript t
                       where t.conversation_key = c.key order by t.id desc limit 6) r), '[]')::text,
                   (select k.device from kiosk.conversations k where c.channel = 'kiosk' and c.key = 'kiosk:' || k.id)
            from conversation.conversations c
            where jsonb_typeof(c.state -> 'handoff') = 'object'
            order by c.state -> 'handoff' ->> 'requestedAt'
            """);
        var items = new List<QueueItem>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var state = JsonSerializer.Deserialize<ConversationState>(reader.GetString(2), ConversationEngine.Json)!;
            items.Add(new QueueItem(reader.GetString(0), reader.GetString(1), state.Handoff!, state.Profile, ReadLines(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return items;
    }

    public static bool IsConversationKey(string key) => key.IndexOf(':') is > 0 and var colon && colon < key.Length - 1 && key.Length <= 300;

    public async Task<(ConversationState? State, List<TranscriptLine> Lines)> ConversationAsync(string key, CancellationToken ct, int lines = 200)
    {
        await using var cmd = db.CreateCommand("""
            select (select state::text from conversation.conversations where key = @key),
                   coalesce((select json_agg(r order by r.id) from (
                       select t.id, t.created_at, t.direction, t.activity from conversation.transcript t
                       where t.conversation_key = @key order by t.id desc limit @lines) r), '[]')::text
            """);
        cmd.Parameters.AddWithValue("key", key);
        cmd.Parameters.AddWithValue("lines", lines);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var state = reader.IsDBNull(0) ? null : JsonSerializer.Deserialize<ConversationState>(reader.GetString(0), ConversationEngine.Json);
        return (state, ReadLines(reader.GetString(1)));
    }

    /// <summary>The conversation as the hub announces it; null if it does not exist.</summary>
    public async Task<ConversationChange?> ChangeAsync(string key, CancellationToken ct) =>
        (await ChangesAsync("c.key = @key", key, ct)).FirstOrDefault();

    /// <summary>Every handed-off conversation as the hub announces it, oldest request first.</summary>
    public Task<List<ConversationChange>> QueueChangesAsync(CancellationToken ct) =>
        ChangesAsync("jsonb_typeof(c.state -> 'handoff') = 'object'", null, ct);

    async Task<List<ConversationChange>> ChangesAsync(string where, string? key, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            select c.key, c.channel, c.version, c.state::text,
                   coalesce((select json_agg(r order by r.id) from (
                       select t.id, t.created_at, t.direction, t.activity from conversation.transcript t
                       where t.conversation_key = c.key order by t.id desc limit 6) r), '[]')::text
            from conversation.conversations c where {where}
            order by c.state -> 'handoff' ->> 'requestedAt'
            """);
        cmd.Parameters.AddWithValue("key", (object?)key ?? DBNull.Value);
        var changes = new List<ConversationChange>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var handoff = JsonSerializer.Deserialize<ConversationState>(reader.GetString(3), ConversationEngine.Json)!.Handoff;
            var status = handoff switch { null => "closed", { Status: HandoffStatus.Waiting } => "waiting", _ => "active" };
            changes.Add(new ConversationChange(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), status, handoff?.Coordinator,
                handoff?.Reason, handoff?.RequestedAt, ReadLines(reader.GetString(4))));
        }
        return changes;
    }

    public const int MaxSearchHits = 100;

    /// <summary>
    /// Conversations with transcript lines in [from, to), optionally on one channel, optionally with a line containing the
    /// keyword (case-insensitive, taken literally); most recent first.
    /// </summary>
    public async Task<List<SearchHit>> SearchAsync(DateTimeOffset from, DateTimeOffset to, string? channel, string? keyword, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select t.conversation_key, min(c.channel), min(t.created_at), max(t.created_at), count(*)::int,
                   (array_agg(t.activity ->> 'text' order by t.id) filter (where @pattern::text is not null and t.activity ->> 'text' ilike @pattern))[1]
            from conversation.transcript t
            join conversation.conversations c on c.key = t.conversation_key
            where t.created_at >= @from and t.created_at < @to and (@channel::text is null or c.channel = @channel)
            group by t.conversation_key
            having @pattern::text is null or bool_or(t.activity ->> 'text' ilike @pattern)
            order by max(t.created_at) desc
            limit @limit
            """);
        cmd.Parameters.AddWithValue("from", from.ToUniversalTime());
        cmd.Parameters.AddWithValue("to", to.ToUniversalTime());
        cmd.Parameters.AddWithValue("channel", string.IsNullOrEmpty(channel) ? DBNull.Value : channel);
        cmd.Parameters.AddWithValue("pattern", string.IsNullOrWhiteSpace(keyword) ? DBNull.Value : "%" + EscapeLike(keyword.Trim()) + "%");
        cmd.Parameters.AddWithValue("limit", MaxSearchHits);
        var hits = new List<SearchHit>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            hits.Add(new SearchHit(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        return hits;
    }

    static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    static List<TranscriptLine> ReadLines(string json)
    {
        var lines = new List<TranscriptLine>();
        foreach (var row in JsonDocument.Parse(json).RootElement.EnumerateArray())
        {
            var activity = row.GetProperty("activity").Deserialize<Activity>(ConversationEngine.Json)!;
            var at = row.GetProperty("created_at").GetDateTimeOffset();
            if (activity.Kind == ActivityKind.Event && activity.Name?.StartsWith("handoff.", StringComparison.Ordinal) == true)
            {
                // Staff actions: a reply shows as the message it sent, the others as a note.
                if (StaffAction(activity) is { } note)
                    lines.Add(new TranscriptLine(at, false, note, FromCoordinator: true));
                continue;
            }
            var text = activity.Text ?? (activity.Kind == ActivityKind.Command ? $"[{activity.Name} {activity.Value}]" : $"[{activity.Name}]");
            if (activity.Cards.Count > 0)
                text += string.Concat(activity.Cards.Select(c => $"\n[{c.Title}] {c.Text}"));
            lines.Add(new TranscriptLine(at, row.GetProperty("direction").GetString() == "i", text,
                activity.ChannelData.TryGetValue("from", out var from) && from == "coordinator"));
        }
        return lines;
    }

    static string? StaffAction(Activity e) => e.Name switch
    {
        HandoffEvents.Claim => $"（{e.Value} が担当を申し出）",
        HandoffEvents.Release => $"（{e.Value} が待機列に戻しました）",
        HandoffEvents.Transfer => $"（{e.Value} に引き継ぎ）",
        HandoffEvents.Close => $"（{e.Value} が対応を終了）",
        _ => null,
    };
}
