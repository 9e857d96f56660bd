using System.Text.Json.Serialization;

namespace FrontDesk.Bot.Handoff;

[JsonConverter(typeof(JsonStringEnumConverter<HandoffStatus>))]
public enum HandoffStatus { Waiting, Active }

/// <summary>
/// A conversation handed to a person. It lives in the conversation state, so a claim from the console and a turn
/// from the user are ordered by the same lock and guarded by the same version.
/// </summary>
public sealed class HandoffState
{
    public HandoffStatus Status { get; set; }
    /// <summary>Why the bot stepped aside: requested, kiosk, declined, complaint, emergency, personal, application, frustrated.</summary>
    public required string Reason { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public string? Coordinator { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    /// <summary>When the waiting user was last told we are still on it; avoids a reply to every message.</summary>
    public DateTimeOffset? LastNoticeAt { get; set; }
    /// <summary>When the user was told the wait is longer than usual; set once, by the reminder job.</summary>
    public DateTimeOffset? RemindedAt { get; set; }
    /// <summary>What the user was looking at when they asked for a person (a listing, a registration draft); shown in the console.</summary>
    public List<HandoffAttachment> Attachments { get; set; } = [];
    /// <summary>A callback request being filled in (out of hours); dropped when confirmed, cancelled or the user goes back to the bot.</summary>
    public CallbackDraft? Callback { get; set; }
    /// <summary>The user left a callback request (its details are in the staff-only table, not here).</summary>
    public bool CallbackRequested { get; set; }
}

/// <summary>Context a feature hands over with the conversation. Facts are label/value rows; never put secrets here.</summary>
public sealed record HandoffAttachment(string Kind, string Title, IReadOnlyList<FrontDesk.Bot.Conversations.CardFact> Facts, string? Url = null);

/// <summary>Events the console sends through the engine, so they run in order with the user's messages.</summary>
public static class HandoffEvents
{
    public const string Claim = "handoff.claim";
    public const string Message = "handoff.message";
    public const string Release = "handoff.release";
    public const string Transfer = "handoff.transfer";
    public const string Close = "handoff.close";
    public const string Remind = "handoff.remind";
    /// <summary>The kiosk screen was wiped or reset: nobody is there to read a reply.</summary>
    public const string VisitorLeft = "handoff.visitor-left";
    public const string VisitorLeftText = "（来訪者が退出しました）";
}
