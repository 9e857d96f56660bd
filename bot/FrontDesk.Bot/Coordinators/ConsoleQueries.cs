using System.Text.Json;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Handoff;
using Npgsql;

namespace FrontDesk.Bot.Coordinators;

public sealed record QueueItem(string Key, string Channel, HandoffState Handoff, IReadOnlyDictionary<string, string> Profile, IReadOnlyList<TranscriptLine> Recent);

public sealed record TranscriptLine(DateTimeOffset At, bool Inbound, string Text, bool FromCoordinator);

/// <summary>
/// What the hub tells every console when a handed-off conversation changed: its place in the queue and its latest lines.
/// <see cref="Status"/> is "waiting", "active" or "closed" (back with the bot); a higher <see cref="Version"/> is newer.
/// </summary>
public sealed record ConversationChange(string Key, string Channel, int Version, string Status, string? Coordinator, string? Reason,
    DateTimeOffset? RequestedAt, IReadOnlyList<TranscriptLine> Recent);

/// <summary>What the console shows: handed-off conversations from the conversation state, and transcripts.</summary>
public sealed class ConsoleQueries(NpgsqlDataSource db)
{
    public async Task<List<QueueItem>> QueueAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select c.key, c.channel, c.state::text,
                   coalesce((select json_agg(r order by r.id) from (
                       select t.id, t.created_at, t.direction, t.activity from conversation.transcript t
                       where t.conversation_key = c.key order by t.id desc limit 6) r), '[]')::text
            from conversation.conversations c
            where jsonb_typeof(c.state -> 'handoff') = 'object'
            order by c.state -> 'handoff' ->> 'requestedAt'
            """);
        var items = new List<QueueItem>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var state = JsonSerializer.Deserialize<ConversationState>(reader.GetString(2), ConversationEngine.Json)!;
            items.Add(new QueueItem(reader.GetString(0), reader.GetString(1), state.Handoff!, state.Profile, ReadLines(reader.GetString(3))));
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
