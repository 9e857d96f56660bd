namespace FrontDesk.Bot.Conversations;

/// <summary>Everything the engine remembers about one conversation; stored as jsonb and re-read for every turn attempt.</summary>
public sealed class ConversationState
{
    /// <summary>"ja" or "en" once the user has chosen or clearly written in a language.</summary>
    public string? Language { get; set; }

    /// <summary>Flows in progress, innermost last. A flow started inside another suspends it until it ends.</summary>
    public List<FlowFrame> Flows { get; set; } = [];

    /// <summary>Answers a flow saved for later use, e.g. the intake questionnaire for a coordinator.</summary>
    public Dictionary<string, string> Profile { get; set; } = [];

    /// <summary>Knowledge answers declined in a row; the handoff rules read it.</summary>
    public int ConsecutiveDeclines { get; set; }

    /// <summary>The last few questions, normalised, to notice a user asking the same thing again and again.</summary>
    public List<string> RecentQuestions { get; set; } = [];

    /// <summary>The topic of the last knowledge question, so that an elliptical follow-up (「それっていくら？」) is read with it.</summary>
    public LastQuestion? LastQuestion { get; set; }

    /// <summary>Set while the conversation waits for or talks with a coordinator; the bot is silent then.</summary>
    public FrontDesk.Bot.Handoff.HandoffState? Handoff { get; set; }

    public int Turns { get; set; }
    public DateTimeOffset? LastInboundAt { get; set; }

    public FlowFrame? ActiveFlow => Flows.Count > 0 ? Flows[^1] : null;
}

/// <summary>A question as searched (with its topic when it was a follow-up), its answer's document and the turn its topic was set.</summary>
public sealed record LastQuestion(string Text, string? DocumentId, int Turn);

public sealed class FlowFrame
{
    public required string Flow { get; set; }
    public string? Step { get; set; }
    public Dictionary<string, string> Values { get; set; } = [];
    /// <summary>Failed answers to the current step, for gentler re-asking.</summary>
    public int Attempts { get; set; }
    /// <summary>The flow collects personal data: what the user sends while it is active stays out of the transcript.</summary>
    public bool Private { get; set; }
}
