using FrontDesk.Knowledge.Search;

namespace FrontDesk.Knowledge.Answers;

public sealed record Citation(string DocumentId, string Title, string Section, DateOnly? AsOf, string? Source, string PassageId);

// Sentences: the lines to print, one per line, as the source has them (a list item keeps its
// marker, a nested item its full-width indent, a lead-in stands before its items).
public sealed record Answer(
    string Text,
    bool Declined,
    double Confidence,
    string Language,
    IReadOnlyList<string> Sentences,
    IReadOnlyList<Citation> Citations)
{
    // What the gate decided on (loggable: no user text).
    public GateFeatures Features { get; init; }

    public AnswerKind Kind { get; init; }
}

public sealed record AnswerOptions
{
    // The gate's probability that the answer is one to give (see AnswerGate, KNOWLEDGE-NOTES.md).
    public const double DefaultDeclineThreshold = 0.5;

    public double DeclineThreshold { get; init; } = DefaultDeclineThreshold;

    public int MaxSentences { get; init; } = 3;

    public int MaxChars { get; init; } = 300;

    // A list asked for is given whole up to this length.
    public int MaxListChars { get; init; } = 500;

    public int PassagesConsidered { get; init; } = 3;
}

// MissingValue: the question asks for a kind of value (a price, a date) that none of the best
// passages contains.
public readonly record struct ConfidenceFeatures(double Coverage, double NormalisedScore, double Margin, int UnknownRun, bool MissingValue = false);

// The answer-or-decline gate's inputs, each in [0, 1]:
// Coverage: rarity-weighted share of the question the best passages hold; Answered: the same for
// the chosen sentences under their headings; AnsweredShare: Answered over Coverage (what the
// chosen sentences keep of what the passages matched); TypePresent: a chosen sentence holds the
// kind of fact asked (the figure, a definition, a list); Score: BM25 relative to what the question could
// score; DocumentGap: lead over the best passage of another document; Unknown: the longest run of
// question bigrams no passage holds (3+ = 1); FigureMissing: a figure was asked and no chosen
// sentence holds one; TypeMissing: the same for the other kinds (a definition, a list); PlaceUnknown:
// a place the question names that the quoted documents never mention; CurrentState: asked about
// now or soon (今度, 来月, 空き, this summer); FieldAgreement: share of the bigram field's top three
// documents the lemma field also ranks in its top three (1 when only one field searched).
public readonly record struct GateFeatures(
    double Coverage,
    double Answered,
    double AnsweredShare,
    double TypePresent,
    double Score,
    double DocumentGap,
    double Unknown,
    double FigureMissing,
    double TypeMissing,
    double PlaceUnknown,
    double CurrentState,
    double FieldAgreement = 1)
{
    public double[] ToVector() => [Coverage, Answered, AnsweredShare, TypePresent, Score, DocumentGap, Unknown, FigureMissing, TypeMissing, PlaceUnknown, CurrentState, FieldAgreement];

    public static readonly string[] Names = ["coverage", "answered", "answered_share", "type_present", "score", "document_gap", "unknown", "figure_missing", "type_missing", "place_unknown", "current_state", "field_agreement"];
}
