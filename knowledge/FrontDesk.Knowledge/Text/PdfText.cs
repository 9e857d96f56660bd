using System.Text;
using System.Text.RegularExpressions;

namespace FrontDesk.Knowledge.Text;

public readonly record struct TextBlock(string Text, int HeadingLevel)
{
    public bool IsHeading => HeadingLevel > 0;
}

// Clean-up for text extracted from PDFs: lines end wherever the page ran out of width, pages
// carry numbers and running headers, and extractors scatter spaces between characters.
public static partial class PdfText
{
    private const int ShortLine = 25;
    private const int WrappedHeading = 18;

    public static string Clean(string raw) => string.Join('\n', Blocks(raw).Select(b => b.Text));

    public static List<TextBlock> Blocks(string raw) => JoinBlocks(RemoveFurniture(JapaneseText.Normalize(raw)));

    public static List<string> RemoveFurniture(string normalized)
    {
        var pages = StripTags(normalized).Split('\f');
        var repeated = pages.Length >= 3 ? RunningLines(pages) : [];
        var lines = new List<string>();
        foreach (var page in pages)
        {
            foreach (var raw in page.Split('\n'))
            {
                var line = StripMarkup(raw.Trim());
                if (PageNumber().IsMatch(line) || Rule().IsMatch(line) || repeated.Contains(line))
                {
                    continue;
                }

                lines.Add(line);
            }

            lines.Add(string.Empty);
        }

        return lines;
    }

    // A line is joined to the next unless something marks a boundary: sentence end, a heading,
    // a list item starting, or a short stand-alone line after a finished sentence (a title).
    public static List<TextBlock> JoinBlocks(IReadOnlyList<string> lines)
    {
        var content = lines.Where(l => l.Length > 0).ToList();
        var blocks = new List<TextBlock>();
        var current = new StringBuilder();
        var currentLevel = 0;
        var previousEnded = true;
        var previousLength = 0;
        for (var i = 0; i < content.Count; i++)
        {
            var line = content[i];
            var heading = Headings.Detect(line);
            var level = heading?.Level ?? 0;
            if (heading is null && previousEnded && line.Length <= ShortLine && !line.Contains('、')
                && !Headings.EndsSentence(line) && !Headings.IsListItem(line) && i + 1 < content.Count)
            {
                level = 2;
            }

            // A heading wrapped onto a second line continues with a particle ("…の在り方" / "に係る検討")
            // or a stub of a word ("…環境整" / "備").
            if (currentLevel > 0 && current.Length > 0 && heading is null && line.Length <= ShortLine
                && previousLength >= WrappedHeading && (line[0] is >= '\u3041' and <= '\u309F' || line.Length <= 3) && !Headings.EndsSentence(line))
            {
                current.Append(line);
                previousLength = line.Length;
                continue;
            }

            if (current.Length > 0 && (level > 0 || previousEnded || Headings.IsListItem(line)))
            {
                Flush(blocks, current, currentLevel);
            }

            if (current.Length == 0)
            {
                currentLevel = level;
                current.Append(heading?.Text ?? line);
            }
            else
            {
                if (NeedsSpace(current[^1], line[0]))
                {
                    current.Append(' ');
                }

                current.Append(line);
            }

            previousEnded = level > 0 || Headings.EndsSentence(line) || line.EndsWith(':');
            previousLength = line.Length;
        }

        Flush(blocks, current, currentLevel);
        return blocks;
    }

    private static void Flush(List<TextBlock> blocks, StringBuilder current, int level)
    {
        var raw = current.ToString();

        // "1 概要" and "(2) 対象" keep the space after their number; it is layout, not a stray.
        var number = level > 0 ? HeadingNumber().Match(raw) : Match.Empty;
        var text = (number.Success ? number.Value : string.Empty) + JapaneseText.RemoveStraySpaces(raw[number.Length..]).Trim();
        if (text.Length > 0)
        {
            blocks.Add(new TextBlock(text, level));
        }

        current.Clear();
    }

    private static bool NeedsSpace(char left, char right) =>
        JapaneseText.IsLatinOrDigit(left) && JapaneseText.IsLatinOrDigit(right)
        || (left is ',' or '.' or ';' && JapaneseText.IsLatinOrDigit(right));

    // Running headers and footers repeat at the top or bottom of most pages.
    private static HashSet<string> RunningLines(string[] pages)
    {
        var counts = new Dictionary<string, int>();
        foreach (var page in pages)
        {
            var lines = page.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            var edges = lines.Take(2).Concat(lines.TakeLast(2)).Distinct();
            foreach (var line in edges)
            {
                counts[line] = counts.GetValueOrDefault(line) + 1;
            }
        }

        return counts.Where(kv => kv.Value >= Math.Max(3, pages.Length / 2) && kv.Key.Length <= 80)
            .Select(kv => kv.Key).ToHashSet();
    }

    // Bold markers and Markdown bullets survive some extractors; they are never content.
    private static string StripMarkup(string line)
    {
        var t = line.Replace("**", string.Empty).Trim();
        var bullet = MarkdownBullet().Match(t);
        if (bullet.Success)
        {
            var rest = t[bullet.Length..];
            t = Headings.IsListItem(rest) || Headings.Detect(rest) is not null ? rest : "・" + rest;
        }

        return t;
    }

    // Some extractors leave HTML in the text: block tags end a line, inline tags just go.
    private static string StripTags(string text) =>
        InlineTag().Replace(BlockTag().Replace(LinkFootnotes(text), "\n"), string.Empty);

    // A footnote defines the term its marker follows ("キャピタル<sup>2</sup>"), but sits far
    // from it; naming the term in the note makes the definition findable by that term.
    private static string LinkFootnotes(string text)
    {
        var terms = new Dictionary<string, string>();
        foreach (Match m in FootnoteReference().Matches(text))
        {
            terms.TryAdd(m.Groups[2].Value, m.Groups[1].Value);
        }

        return FootnoteDefinition().Replace(text, m =>
            terms.TryGetValue(m.Groups[2].Value, out var term) ? $"{m.Groups[1].Value}(注{m.Groups[2].Value}: {term}) " : m.Value);
    }

    [GeneratedRegex(@"([\p{IsKatakana}\p{IsCJKUnifiedIdeographs}A-Za-z0-9・ー]{2,30})<sup>\s*(\d{1,3})\s*</sup>")]
    private static partial Regex FootnoteReference();

    [GeneratedRegex(@"(^|\n|>)\s*<sup>\s*(\d{1,3})\s*</sup>")]
    private static partial Regex FootnoteDefinition();

    [GeneratedRegex(@"^([0-9]{1,2}\.?|\([0-9]{1,2}\)|第[0-9]+[章節]) ")]
    private static partial Regex HeadingNumber();

    [GeneratedRegex(@"^([-=_*~]\s*){3,}$")]
    private static partial Regex Rule();

    [GeneratedRegex(@"^[-*+]\s+")]
    private static partial Regex MarkdownBullet();

    [GeneratedRegex(@"</?(p|div|li|ul|ol|br|tr|td|th|table|h[1-6]|section|article|blockquote)(\s[^<>]*)?/?>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockTag();

    [GeneratedRegex(@"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")]
    private static partial Regex InlineTag();

    [GeneratedRegex(@"^([-‐－—–]\s*[0-9]{1,4}\s*[-‐－—–]|[0-9]{1,3}|[0-9]{1,4}\s*/\s*[0-9]{1,4}|[pP]\.?\s*[0-9]{1,4}|[0-9]{1,4}\s*ページ)$")]
    private static partial Regex PageNumber();
}
