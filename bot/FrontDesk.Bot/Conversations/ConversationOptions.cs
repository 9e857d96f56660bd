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
}
