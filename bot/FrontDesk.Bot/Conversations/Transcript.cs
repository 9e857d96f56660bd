namespace FrontDesk.Bot.Conversations;

public enum TranscriptDirection { Inbound, Outbound }

public sealed record TranscriptEntry(TranscriptDirection Direction, Activity Activity);
