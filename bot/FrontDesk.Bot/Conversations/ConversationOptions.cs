using System.ComponentModel.DataAnnotations;

namespace FrontDesk.Bot.Conversations;

public sealed class ConversationOptions
{
    public const string SectionName = "Conversations";

    /// <summary>Longest message a user may send; longer ones get a polite request to shorten.</summary>
    [Range(100, 20_000)]
    public int MaxInputLength { get; set; } = 2000;

    /// <summary>How long transcripts are kept before the retention job deletes them.</summary>
    [Range(1, 3650)]
    public int TranscriptRetentionDays { get; set; } = 180;

    /// <summary>How often to look for accepted activities that no host processed (e.g. after a crash).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan PendingSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Re-runs of a turn whose state was changed by someone else meanwhile.</summary>
    [Range(1, 20)]
    public int MaxTurnAttempts { get; set; } = 5;

    /// <summary>
    /// Conversations the background dispatcher processes at once. Turns are CPU-bound: more than a few per core only
    /// adds contention and starves the webhook's acknowledgement (see LINE-NOTES.md for the measurements).
    /// </summary>
    [Range(1, 512)]
    public int MaxConcurrentTurns { get; set; } = Environment.ProcessorCount * 4;

    /// <summary>
    /// Outbox rows delivered at once, apart from the turn slots: deliveries wait on the network (a slow LINE API), so a
    /// hung call must never hold up turns.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentDeliveries { get; set; } = 64;

    /// <summary>How long a reply that keeps failing is retried before it is set aside (LINE keeps a retry key for 24 h).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan DeliveryRetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>First back-off after a failed delivery; it doubles per attempt up to <see cref="DeliveryRetryMaxDelay"/>, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan DeliveryRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "06:00:00")]
    public TimeSpan DeliveryRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>On a graceful stop, how long sends already under way may take to finish and be recorded; no new one starts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan DeliveryStopGrace { get; set; } = TimeSpan.FromSeconds(10);
}
