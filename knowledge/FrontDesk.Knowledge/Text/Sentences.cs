namespace FrontDesk.Knowledge.Text;

public readonly record struct Span(int Start, int End)
{
    public int Length => End - Start;
}

public static class Sentences
{
    private const int MaxBracketed = 150;

    // Splits on 。！？, on . ! ? followed by a space (so "0.5" survives), and on line breaks,
    // which after line joining only remain at paragraph, heading and list boundaries.
    public static List<Span> Split(string text)
    {
        var spans = new List<Span>();
        var start = 0;
        var depth = 0;
        var openedAt = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int end;

            // "(以下「官民PF」という。)" does not end the sentence around it.
            if (c is '(' or '（' or '「' or '『')
            {
                depth++;
                openedAt = depth == 1 ? i : openedAt;
                continue;
            }

            // An unclosed bracket (a cut-off line) must not swallow the rest of the paragraph.
            if (depth > 0 && i - openedAt > MaxBracketed)
            {
                depth = 0;
            }

            if (c is ')' or '）' or '」' or '』')
            {
                depth = Math.Max(0, depth - 1);
                continue;
            }

            if (depth > 0 && c != '\n')
            {
                continue;
            }

            if (c == '\n')
            {
                end = i;
            }
            else if (c is '。' or '！' or '？' || (c is '!' or '?' && (i + 1 == text.Length || text[i + 1] is ' ' or '\n' || JapaneseText.IsCjk(text[i + 1]))))
            {
                end = i + 1;
            }
            else if (c == '.' && (i + 1 == text.Length || text[i + 1] is ' ' or '\n') && i > 0 && !char.IsDigit(text[i - 1]) && !IsInitial(text, i))
            {
                end = i + 1;
            }
            else
            {
                continue;
            }

            // Closing brackets and quotes belong to the sentence they close.
            while (end < text.Length && text[end] is '」' or '』' or ')' or '）' or '"' or '”')
            {
                end++;
            }

            Add(text, spans, start, end);
            start = end;
            depth = 0;
            i = Math.Max(i, end - 1);
        }

        Add(text, spans, start, text.Length);
        return spans;
    }

    public static IEnumerable<string> SplitText(string text) => Split(text).Select(s => text[s.Start..s.End]);

    private static bool IsInitial(string text, int dot) =>
        dot >= 1 && char.IsUpper(text[dot - 1]) && (dot == 1 || !char.IsLetter(text[dot - 2]));

    private static void Add(string text, List<Span> spans, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end > start)
        {
            spans.Add(new Span(start, end));
        }
    }
}
