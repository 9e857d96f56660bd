using System.Globalization;
using System.Text;

namespace FrontDesk.Knowledge.Text;

public static class JapaneseText
{
    // NFKC folds full-width ASCII and half-width kana; string.Normalize throws on lone surrogates,
    // so those (and control characters) go first.
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    clean.Append(c).Append(text[++i]);
                }

                continue;
            }

            if (char.IsLowSurrogate(c))
            {
                continue;
            }

            if (c is '\n' or '\f')
            {
                clean.Append(c);
            }
            else if (c == '\r')
            {
                // \r\n and lone \r both end a line.
                if (i + 1 >= text.Length || text[i + 1] != '\n')
                {
                    clean.Append('\n');
                }
            }
            else if (c == '\t' || char.GetUnicodeCategory(c) is UnicodeCategory.SpaceSeparator
                     or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                clean.Append(' ');
            }
            else if (!char.IsControl(c) && c != '\uFEFF' && c != '\u200B')
            {
                clean.Append(c);
            }
        }

        return CollapseSpaces(Nfkc(clean.ToString()));
    }

    // NFKC turns circled numbers into bare digits ("①市町村" → "1市町村"), which would glue list
    // markers to the text; they are kept as written.
    private static string Nfkc(string text)
    {
        var sb = new StringBuilder(text.Length);
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || IsCircledNumber(text[i]))
            {
                if (i > start)
                {
                    sb.Append(text.AsSpan(start, i - start).ToString().Normalize(NormalizationForm.FormKC));
                }

                if (i < text.Length)
                {
                    sb.Append(text[i]);
                }

                start = i + 1;
            }
        }

        return sb.ToString();
    }

    private static bool IsCircledNumber(char c) => c is (>= '\u2460' and <= '\u2473') or (>= '\u3251' and <= '\u325F');

    // Spaces inside Japanese text are PDF artefacts ("令 和 6 年", "100 万円"); spaces between
    // Latin words carry meaning and stay.
    public static string RemoveStraySpaces(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ' ')
            {
                var j = i;
                while (j < text.Length && text[j] == ' ')
                {
                    j++;
                }

                var prev = sb.Length > 0 ? sb[^1] : '\n';
                var next = j < text.Length ? text[j] : '\n';
                var drop = prev == '\n' || next == '\n'
                    || (IsCjkOrPunct(prev) && !char.IsWhiteSpace(next))
                    || (IsCjkOrPunct(next) && !char.IsWhiteSpace(prev));
                if (!drop)
                {
                    sb.Append(' ');
                }

                i = j - 1;
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    // For comparisons that must ignore layout: NFKC, then no whitespace at all.
    public static string Compact(string? text)
    {
        var n = Normalize(text);
        var sb = new StringBuilder(n.Length);
        foreach (var c in n)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    public static bool IsCjk(char c) =>
        c is (>= '\u3040' and <= '\u30FF') // hiragana, katakana
            or (>= '\u3400' and <= '\u4DBF')
            or (>= '\u4E00' and <= '\u9FFF')
            or (>= '\uF900' and <= '\uFAFF')
            or '\u3005' or '\u3006' or '\u30FC' // 々 〆 ー
        || char.IsSurrogate(c);

    public static bool IsCjkOrPunct(char c) =>
        IsCjk(c) || c is (>= '\u3000' and <= '\u303F') or (>= '\uFF00' and <= '\uFFEF') or '・' or '※';

    public static bool IsIdeograph(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or '々';

    public static bool IsLatinOrDigit(char c) => char.IsAsciiLetterOrDigit(c) || (char.IsLetterOrDigit(c) && c < '\u0370');

    public static bool ContainsCjk(string text)
    {
        foreach (var c in text)
        {
            if (IsCjk(c))
            {
                return true;
            }
        }

        return false;
    }

    private static string CollapseSpaces(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            var lastSpace = false;
            foreach (var c in line.Trim(' '))
            {
                if (c == ' ')
                {
                    if (!lastSpace)
                    {
                        sb.Append(' ');
                    }

                    lastSpace = true;
                }
                else
                {
                    sb.Append(c);
                    lastSpace = false;
                }
            }
        }

        return sb.ToString();
    }
}
