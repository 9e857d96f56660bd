using System.Text.Json;
using Dapper;
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
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Key, string Channel, string State, string Recent, string? Device)>(new CommandDefinition("""
            select c.key, c.channel, c.state::text,
                   coalesce((select json_agg(r order by r.id) from (
                       select t.id, t.created_at, t.direction, t.activity from conversation.transcript t
                       where t.conversation_key = c.key order by t.id desc limit 6) r), '[]')::text,
                   (select k.device from kiosk.conversations k where c.channel = 'kiosk' and c.key = 'kiosk:' || k.id)
            from conversation.conversations c
            where jsonb_typeof(c.state -> 'handoff') = 'object'
            order by c.state -> 'handoff' ->> 'requestedAt'
            """, cancellationToken: ct));
        return rows.Select(r =>
        {
            var state = JsonSerializer.Deserialize<ConversationState>(r.State, ConversationEngine.Json)!;
            return new QueueItem(r.Key, r.Channel, state.Handoff!, state.Profile, ReadLines(r.Recent), r.Device);
        }).ToList();
    }

    public static bool IsConversationKey(string key) => key.IndexOf(':') is > 0 and var colon && colon < key.Length - 1 && key.Length <= 300;

    public async Task<(ConversationState? State, List<TranscriptLine> Lines)> ConversationAsync(string key, CancellationToken ct, int lines = 200)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var (stateJson, recent) = await conn.QuerySingleAsync<(string? State, string Recent)>(new CommandDefinition("""
            select (select state::text from conversation.conversations where key = @key),
                   coalesce((select json_agg(r order by r.id) from (
                       select t.id, t.created_at, t.direction, t.activity from conversation.transcript t
                       where t.conversation_key = @key order by t.id desc limit @lines) r), '[]')::text
            """, new { key, lines }, cancellationToken: ct));
        var state = stateJson is null ? null : JsonSerializer.Deserialize<ConversationState>(stateJson, ConversationEngine.Json);
        return (state, ReadLines(recent));
    }

    /// <summary>The conversation as the hub announces it; null if it does not exist.</summary>
    public async Task<ConversationChange?> ChangeAsync(string key, CancellationToken ct) =>
        (await ChangesAsync("c.key = @key", key, ct)).FirstOrDefault();

    /// <summary>Every handed-off conversation as the hub announces it, oldest request first.</summary>
    public Task<List<ConversationChange>> QueueChangesAsync(CancellationToken ct) =>
        ChangesAsync("jsonb_typeof(c.state -> 'handoff') = 'object'", null, ct);

    async Task<List<ConversationChange>> ChangesAsync(string where, string? key, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Key, string Channel, int Version, string State, string Recent)>(new CommandDefinition($"""
            select c.key, c.channel, c.version, c.state::text,
                   coalesce((select json_agg(r order by r.id) from (
                       select t.id, t.created_at, t.direction, t.activity from conversation.transcript t
                       where t.conversation_key = c.key order by t.id desc limit 6) r), '[]')::text
            from conversation.conversations c where {where}
            order by c.state -> 'handoff' ->> 'requestedAt'
            """, new { key }, cancellationToken: ct));
        return rows.Select(r =>
        {
            var handoff = JsonSerializer.Deserialize<ConversationState>(r.State, ConversationEngine.Json)!.Handoff;
            var status = handoff switch { null => "closed", { Status: HandoffStatus.Waiting } => "waiting", _ => "active" };
            return new ConversationChange(r.Key, r.Channel, r.Version, status, handoff?.Coordinator, handoff?.Reason, handoff?.RequestedAt, ReadLines(r.Recent));
        }).ToList();
    }

    public const int MaxSearchHits = 100;

    /// <summary>
    /// Conversations with transcript lines in [from, to), optionally on one channel, optionally with a line containing the
    /// keyword (case-insensitive, taken literally); most recent first.
    /// </summary>
    public async Task<List<SearchHit>> SearchAsync(DateTimeOffset from, DateTimeOffset to, string? channel, string? keyword, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Key, string Channel, DateTime First, DateTime Last, int Lines, string? Match)>(new CommandDefinition("""
            select t.conversation_key, min(c.channel), min(t.created_at), max(t.created_at), count(*)::int,
                   (array_agg(t.activity ->> 'text' order by t.id) filter (where @pattern::text is not null and t.activity ->> 'text' ilike @pattern))[1]
            from conversation.transcript t
            join conversation.conversations c on c.key = t.conversation_key
            where t.created_at >= @from and t.created_at < @to and (@channel::text is null or c.channel = @channel)
            group by t.conversation_key
            having @pattern::text is null or bool_or(t.activity ->> 'text' ilike @pattern)
            order by max(t.created_at) desc
            limit @limit
            """, new
            {
                from = from.ToUniversalTime(),
                to = to.ToUniversalTime(),
                channel = string.IsNullOrEmpty(channel) ? null : channel,
                pattern = string.IsNullOrWhiteSpace(keyword) ? null : "%" + EscapeLike(keyword.Trim()) + "%",
                limit = MaxSearchHits,
            }, cancellationToken: ct));
        // Npgsql reads timestamptz as a UTC DateTime.
        return rows.Select(r => new SearchHit(r.Key, r.Channel, new DateTimeOffset(r.First), new DateTimeOffset(r.Last), r.Lines, r.Match)).ToList();
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
