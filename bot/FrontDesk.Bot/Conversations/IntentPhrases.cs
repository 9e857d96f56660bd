using System.Text.RegularExpressions;

namespace FrontDesk.Bot.Conversations;

/// <summary>What a message means before it is searched. Listed in the order they win when several match.</summary>
public enum Intent
{
    Person,
    /// <summary>Stop what is in progress (「やめる」「検索をやめる」).</summary>
    Cancel,
    Hours,
    Address,
    Access,
    Phone,
    Holidays,
    Capabilities,
    Goodbye,
    Thanks,
    Greeting,
    /// <summary>Only emoji, stamps or punctuation: nothing to search.</summary>
    NoWords,
}

public sealed class IntentFileException(string path, int line, string message) : Exception($"{path}:{line}: {message}")
{
    public string Path { get; } = path;
    public int Line { get; } = line;
}

/// <summary>
/// The phrase lists and patterns of <c>knowledge/content/intents.txt</c>: a plain line matches the whole message (with a
/// little politeness after it), a "~" line is a regular expression (non-backtracking, so hostile text costs linear time).
/// </summary>
public sealed class IntentPhrases
{
    static readonly Intent[] SmallTalk = [Intent.Goodbye, Intent.Thanks, Intent.Greeting];
    static readonly char[] PartSeparators = ['。', '、', '！', '!', '？', '?', ',', '.', ' ', '　', '\n', '〜', '~', '♪'];
    const int MaxPatternInput = 2000;

    // 「住所を教えてください」 asks for 住所; 「どうもありがとうございました」 is 「どうもありがとう」 said politely.
    static readonly Regex PoliteTail = new("((を|は|が)?(教えて|おしえて)(ください|下さい|くれますか|もらえますか|いただけますか|ほしい|欲しい)?|ございます|ございました)$",
        RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    readonly Dictionary<Intent, (List<string> Phrases, List<Regex> Patterns)> rules;

    IntentPhrases(Dictionary<Intent, (List<string>, List<Regex>)> rules) => this.rules = rules;

    public static IntentPhrases Empty { get; } = new([]);

    public static IntentPhrases Load(string path) => Parse(File.ReadAllText(path), path);

    public static IntentPhrases Parse(string text, string path)
    {
        var rules = new Dictionary<Intent, (List<string>, List<Regex>)>();
        (List<string> Phrases, List<Regex> Patterns)? section = null;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (line.StartsWith('['))
            {
                if (!line.EndsWith(']') || !Enum.TryParse<Intent>(line[1..^1], ignoreCase: true, out var intent) || intent == Intent.NoWords)
                    throw new IntentFileException(path, number, $"unknown section {line}; known: {string.Join(", ", Enum.GetNames<Intent>().SkipLast(1).Select(n => $"[{n.ToLowerInvariant()}]"))}");
                if (rules.ContainsKey(intent))
                    throw new IntentFileException(path, number, $"section {line} appears twice");
                rules[intent] = ([], []);
                section = rules[intent];
                continue;
            }
            if (section is not { } current)
                throw new IntentFileException(path, number, "a phrase before the first [section]");
            if (line.StartsWith('~'))
            {
                try
                {
                    current.Patterns.Add(new Regex(line[1..], RegexOptions.NonBacktracking | RegexOptions.CultureInvariant));
                }
                catch (Exception e) when (e is ArgumentException or NotSupportedException)
                {
                    throw new IntentFileException(path, number, $"not a usable regular expression: {e.Message}");
                }
            }
            else
            {
                var phrase = Phrases.Normalize(line);
                if (phrase.Length == 0)
                    throw new IntentFileException(path, number, "a phrase of only punctuation");
                current.Phrases.Add(phrase);
            }
        }
        return new IntentPhrases(rules);
    }

    /// <summary>The intent of the whole message, or null when it is a question for the knowledge base or a flow.</summary>
    public Intent? Match(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
            return null;
        if (!message.Any(char.IsLetterOrDigit))
            return Intent.NoWords;
        var text = Bare(message);
        foreach (var intent in Enum.GetValues<Intent>())
            if (Is(intent, text))
                return intent;

        // 「ありがとう。助かりました」「こんにちは！よろしくお願いします」: every part is small talk.
        var parts = Parts(text);
        if (parts.Count > 1)
        {
            var found = parts.Select(p => SmallTalk.Cast<Intent?>().FirstOrDefault(i => Is(i!.Value, p))).ToList();
            if (found.All(i => i is not null))
                return found.Min();
        }
        return null;
    }

    public bool Is(Intent intent, string normalized)
    {
        if (!rules.TryGetValue(intent, out var rule) || normalized.Length == 0)
            return false;
        if (Phrases.Matches(normalized, rule.Phrases) || PoliteTail.Replace(normalized, "") is { Length: > 0 } core && core != normalized && Phrases.Matches(core, rule.Phrases))
            return true;
        if (normalized.Length > MaxPatternInput)
            normalized = normalized[..MaxPatternInput];
        return rule.Patterns.Any(p => p.IsMatch(normalized));
    }

    /// <summary>The question after a greeting or thanks it starts with (「こんにちは。移住支援金は…」), or the message itself.</summary>
    public string WithoutSmallTalk(string message)
    {
        var rest = message.TrimStart();
        while (true)
        {
            var cut = rest.IndexOfAny(PartSeparators);
            if (cut <= 0)
                return rest;
            var head = Bare(rest[..cut]);
            if (!SmallTalk.Any(i => Is(i, head)))
                return rest;
            var next = rest[cut..].TrimStart(PartSeparators);
            if (next.Length == 0)
                return rest;
            rest = next;
        }
    }

    // Normalised, without the emoji or symbols it ends with (「ありがとうございます😊」).
    static string Bare(string message)
    {
        var text = Phrases.Normalize(message);
        var end = text.Length;
        while (end > 0 && !char.IsLetterOrDigit(text[end - 1]))
            end--;
        return end == text.Length ? text : Phrases.Normalize(text[..end]);
    }

    static List<string> Parts(string text) =>
        text.Split(PartSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
