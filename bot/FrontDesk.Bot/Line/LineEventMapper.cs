using System.Collections.Concurrent;
using System.Text.Json;
using FrontDesk.Bot.Conversations;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Bot.Line;

/// <summary>
/// What a webhook event means for FrontDesk: an activity for the engine, a follow-state change (Following: true for
/// follow, false for unfollow, 1:1 chats only), or nothing. Outcome is what line.inbox records: queued, recorded,
/// standby or ignored.
/// </summary>
public sealed record LineEvent(
    string WebhookEventId,
    string Type,
    string Mode,
    bool IsRedelivery,
    DateTimeOffset At,
    ConversationAddress? Address,
    Activity? Activity,
    bool? Following,
    string Outcome);

/// <summary>Maps webhook event objects (webhook.yml) to engine activities. Never fails on an unknown or incomplete event: it is recorded as ignored.</summary>
public sealed partial class LineEventMapper(TimeProvider time, ILogger<LineEventMapper> logger)
{
    static readonly HashSet<string> KnownIgnored =
    [
        "join", "leave", "memberJoined", "memberLeft", "videoPlayComplete", "beacon", "accountLink",
        "membership", "module", "activated", "deactivated", "botSuspended", "botResumed", "delivery",
    ];

    readonly ConcurrentDictionary<string, byte> unknownTypesLogged = new(StringComparer.Ordinal);

    /// <summary>Null when the event lacks an id or a type: it cannot be deduplicated, so it is not recorded at all.</summary>
    public LineEvent? Map(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object || Str(e, "webhookEventId") is not { Length: > 0 and <= 64 } id || Str(e, "type") is not { Length: > 0 and <= 64 } type)
        {
            LogMalformed();
            return null;
        }
        var mode = Str(e, "mode") == "standby" ? "standby" : "active";
        var redelivery = e.TryGetProperty("deliveryContext", out var dc) && dc.ValueKind == JsonValueKind.Object
            && dc.TryGetProperty("isRedelivery", out var r) && r.ValueKind == JsonValueKind.True;
        var at = e.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.Number && ts.TryGetInt64(out var ms) && ms > 0 && ms < 32503680000000
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : time.GetUtcNow();
        var (address, chat) = Source(e);

        LineEvent Result(Activity? activity, string outcome, bool? following = null) => new(id, type, mode, redelivery, at, address, activity, following, outcome);

        if (address is null)
            return Result(null, "ignored");

        bool? follow = type switch
        {
            "follow" when chat == "user" => true,
            "unfollow" when chat == "user" => false,
            _ => null,
        };
        // In standby another module owns the chat: nothing is sent, but a block is still remembered.
        if (mode == "standby")
            return Result(null, "standby", follow);

        var activity = type switch
        {
            "message" => MapMessage(e),
            "postback" => e.TryGetProperty("postback", out var pb) && Text(pb, "data") is { } postback ? PostbackData.Decode(postback) : null,
            "follow" => Activity.Event("follow"),
            "unsend" => e.TryGetProperty("unsend", out var un) && Str(un, "messageId") is { Length: > 0 } messageId
                ? Activity.Event(LineChannel.Events.Unsend) with { Value = messageId }
                : null,
            _ => null,
        };
        if (activity is null)
        {
            if (type == "unfollow")
                return Result(null, "recorded", follow);
            if (!KnownIgnored.Contains(type) && type is not ("message" or "postback" or "unsend") && unknownTypesLogged.TryAdd(type, 0) && unknownTypesLogged.Count < 100)
                LogUnknownType(type);
            return Result(null, "ignored", follow);
        }

        var data = new Dictionary<string, string>
        {
            [LineChannel.Data.WebhookEventId] = id,
            [LineChannel.Data.Chat] = chat!,
        };
        // A redelivered event's reply token has most likely expired: the answer goes by push.
        if (Str(e, "replyToken") is { Length: > 0 } replyToken && !redelivery)
            data[LineChannel.Data.ReplyToken] = replyToken;
        if (redelivery)
            data[LineChannel.Data.Redelivery] = "true";
        return Result(activity with { Timestamp = at, ChannelData = data }, "queued", follow);
    }

    static Activity? MapMessage(JsonElement e)
    {
        if (!e.TryGetProperty("message", out var m) || m.ValueKind != JsonValueKind.Object || Str(m, "type") is not { Length: > 0 } kind)
            return null;
        var messageId = Str(m, "id");
        var activity = kind == "text"
            ? Text(m, "text") is { } text ? Activity.Message(text) : null
            : Activity.Event(LineChannel.Events.UnsupportedMessage) with { Value = kind.Length <= 32 ? kind : "unknown" };
        return activity is null ? null : activity with { ChannelMessageId = messageId };
    }

    static (ConversationAddress? Address, string? Chat) Source(JsonElement e)
    {
        if (!e.TryGetProperty("source", out var s) || s.ValueKind != JsonValueKind.Object)
            return (null, null);
        var chat = Str(s, "type");
        var id = chat switch
        {
            "user" => Str(s, "userId"),
            "group" => Str(s, "groupId"),
            "room" => Str(s, "roomId"),
            _ => null,
        };
        return id is { Length: > 0 and <= 64 } ? (new ConversationAddress(LineChannel.Name, id), chat) : (null, null);
    }

    /// <summary>A string property, or null when it is missing, not a string, or the element is not an object at all.</summary>
    /// <summary>An id or keyword; one with a NUL or a broken surrogate cannot be stored and counts as missing.</summary>
    static string? Str(JsonElement e, string name) => Text(e, name) is { } s && IsStorable(s) ? s : null;

    /// <summary>User text: the engine's sanitizer cleans it.</summary>
    static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static bool IsStorable(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\0' || char.IsLowSurrogate(s[i]))
                return false;
            if (char.IsHighSurrogate(s[i]) && (++i >= s.Length || !char.IsLowSurrogate(s[i])))
                return false;
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "LINE webhook event of unknown type {Type} ignored (logged once per type)")]
    partial void LogUnknownType(string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LINE webhook event without webhookEventId or type ignored")]
    partial void LogMalformed();
}
