namespace FrontDesk.Bot.Conversations;

/// <summary>A multi-turn conversation such as a questionnaire. Its progress lives in a <see cref="FlowFrame"/> in the state, so it survives restarts.</summary>
public abstract class Flow
{
    /// <summary>Stable name stored in conversation state and used in "flow" commands.</summary>
    public abstract string Name { get; }
    public abstract LocalText Title { get; }

    /// <summary>Called once, right after the frame was pushed.</summary>
    public abstract Task StartAsync(TurnContext turn, FlowFrame frame, CancellationToken ct);

    /// <summary>Called with each user input while this flow is the active one.</summary>
    public abstract Task ContinueAsync(TurnContext turn, FlowFrame frame, CancellationToken ct);

    /// <summary>Shows the user where they were, after an interruption or when an inner flow ended.</summary>
    public abstract Task ResumeAsync(TurnContext turn, FlowFrame frame, CancellationToken ct);

    /// <summary>
    /// Called when the user cancels this flow (「やめる」), right after its frame was removed; e.g. to discard a draft.
    /// Returns what to tell the user when 「…を中止しました」 would not be the whole truth.
    /// </summary>
    public virtual Task<LocalText?> CancelledAsync(TurnContext turn, FlowFrame frame, CancellationToken ct) => Task.FromResult<LocalText?>(null);

    /// <summary>
    /// Whether a message with this intent (small talk, an office fact) is answered outside the flow, which then offers to
    /// go on. Forms keep it off: 「電話番号」 is a field to change there, not a question.
    /// </summary>
    public virtual bool GivesWayTo(Intent intent) => false;

    protected static void End(TurnContext turn, FlowFrame frame) => turn.State.Flows.Remove(frame);
}

/// <summary>The flows this host knows, by name.</summary>
public sealed class FlowCatalog(IEnumerable<Flow> flows)
{
    readonly Dictionary<string, Flow> byName = flows.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public Flow? Find(string? name) => name is not null && byName.TryGetValue(name, out var flow) ? flow : null;
}

/// <summary>A global command that can interrupt any flow (menu, help, language); the flow resumes afterwards.</summary>
public abstract class Interruption
{
    public abstract string Command { get; }
    /// <summary>Typed phrases that trigger it, already in <see cref="Phrases.Normalize"/> form.</summary>
    public abstract IReadOnlyList<string> Triggers { get; }
    public abstract Task RunAsync(TurnContext turn, CancellationToken ct);
}

/// <summary>Matching of short typed commands ("メニュー", "やめる", "Cancel") against what users really send.</summary>
public static partial class Phrases
{
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return "";
        // Turns arrive cleaned (InputSanitizer); other callers may pass lone surrogates, which NFKC refuses.
        var s = (text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') ? InputSanitizer.CleanText(text, text.Length) : text)
            .Normalize(System.Text.NormalizationForm.FormKC).Trim().ToLowerInvariant();
        return s.TrimEnd('。', '.', '!', '！', '?', '？', '、', ',', ' ', '　');
    }

    /// <summary>True for the phrase itself or the phrase with a little politeness around it ("メニューを見せて", "やめます").</summary>
    public static bool Matches(string normalizedText, IReadOnlyList<string> triggers)
    {
        if (normalizedText.Length == 0)
            return false;
        foreach (var trigger in triggers)
        {
            if (normalizedText == trigger)
                return true;
            if (normalizedText.Length <= trigger.Length + 5 && normalizedText.StartsWith(trigger, StringComparison.Ordinal) && IsJapanese(trigger))
                return true;
        }
        return false;
    }

    /// <summary>Typed text as a reply may repeat it: letters and digits only, so no markup reaches a Markdown-rendering channel; 20 at most.</summary>
    public static string Quote(string text)
    {
        var t = new string(text.Where(char.IsLetterOrDigit).Take(20).ToArray());
        return t.Length == 0 ? "?" : t;
    }

    /// <summary>「〜ありますか？」「〜が違うの」 "How much …?": worded as a question, not as an answer or a condition.</summary>
    public static bool IsQuestion(string? text)
    {
        var t = (text ?? "").Trim();
        return t.EndsWith('?') || t.EndsWith('？') || QuestionEnding().IsMatch(t);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(ですか|ますか|でしょうか|のか|かな|の)[。.!！]*$|^(what|how|who|where|when|why|is|are|can|do|does)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex QuestionEnding();

    static bool IsJapanese(string s) => FrontDesk.Knowledge.Text.TextLanguage.Detect(s) == FrontDesk.Knowledge.Text.TextLanguage.Japanese;
}
