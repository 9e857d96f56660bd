using System.Text.RegularExpressions;

namespace FrontDesk.Knowledge.Text;

public readonly record struct HeadingMatch(int Level, string Text);

public static partial class Headings
{
    private const int MaxHeadingLength = 60;

    // Levels order the heading kinds seen in Japanese public documents, outermost first.
    public static HeadingMatch? Detect(string line)
    {
        var t = line.Trim();
        if (t.Length == 0 || t.Length > MaxHeadingLength + 10)
        {
            return null;
        }

        var md = MarkdownHeading().Match(t);
        if (md.Success)
        {
            return new HeadingMatch(md.Groups[1].Length, Clean(md.Groups[2].Value));
        }

        if (EndsSentence(t) || t.Length > MaxHeadingLength)
        {
            return null;
        }

        if (Chapter().IsMatch(t))
        {
            return new HeadingMatch(1, Clean(t));
        }

        if (Numbered().IsMatch(t))
        {
            return new HeadingMatch(2, Clean(t));
        }

        if (Parenthesised().IsMatch(t))
        {
            return new HeadingMatch(3, Clean(t));
        }

        if (Bracketed().IsMatch(t) || Marked().IsMatch(t))
        {
            return new HeadingMatch(3, Clean(t));
        }

        if (Circled().IsMatch(t))
        {
            return new HeadingMatch(4, Clean(t));
        }

        return null;
    }

    public static bool IsListItem(string line) => ListItem().IsMatch(line.TrimStart());

    public static bool EndsSentence(string line)
    {
        var t = line.TrimEnd().TrimEnd('」', '』', ')', '）', '"', '”', '*');
        return t.Length > 0 && t[^1] is '。' or '!' or '?' or '！' or '？' or '．';
    }

    private static string Clean(string text) => text.Replace("**", string.Empty).Trim();

    [GeneratedRegex(@"^(#{1,6})\s+(.+)$")]
    private static partial Regex MarkdownHeading();

    [GeneratedRegex(@"^第\s*[0-9一二三四五六七八九十百]+\s*[章節部編]")]
    private static partial Regex Chapter();

    [GeneratedRegex(@"^([0-9]{1,2}|[一二三四五六七八九十]{1,3})(\.(?![0-9])|、|\s)\s*\S")]
    private static partial Regex Numbered();

    [GeneratedRegex(@"^[(（]\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3}|[a-zA-Zア-ン])\s*[)）]")]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"^【[^】]{1,40}】")]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"^[■□◆◇▼▽▶▷●]")]
    private static partial Regex Marked();

    [GeneratedRegex(@"^[①-⑳㉑-㉟]")]
    private static partial Regex Circled();

    [GeneratedRegex(@"^([・•\-*‐–—✓✔○◯◎※➢➤►]|[0-9]{1,2}\)|[a-z]\))")]
    private static partial Regex ListItem();
}
