namespace FrontDesk.Knowledge.Answers;

public sealed record Citation(string DocumentId, string Title, string Section, DateOnly? AsOf, string? Source, string PassageId);

public sealed record Answer(
    string Text,
    bool Declined,
    double Confidence,
    string Language,
    IReadOnlyList<string> Sentences,
    IReadOnlyList<Citation> Citations);

public sealed record AnswerOptions
{
    // Calibrated on the dev questions with the Japanese chain (see KNOWLEDGE-NOTES.md).
    public const double DefaultDeclineThreshold = 0.28;

    public double DeclineThreshold { get; init; } = DefaultDeclineThreshold;

    public int MaxSentences { get; init; } = 3;

    public int MaxChars { get; init; } = 300;

    public int PassagesConsidered { get; init; } = 3;
}

// MissingValue: the question asks for a kind of value (a price, a date) that none of the best
// passages contains.
public readonly record struct ConfidenceFeatures(double Coverage, double NormalisedScore, double Margin, int UnknownRun, bool MissingValue = false);
