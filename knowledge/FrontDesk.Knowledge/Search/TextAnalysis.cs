using System.Text;
using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Search;

public readonly record struct AnalyzedToken(string Term, int Start, int End);

// The one place that decides what a searchable term is, shared by the Lucene analyser, query
// building and answer scoring so they cannot drift apart.
public static class TextAnalysis
{
    public static string Fold(string text)
    {
        var normalized = JapaneseText.RemoveStraySpaces(JapaneseText.Normalize(text));
        var sb = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            sb.Append(FoldChar(c));
        }

        return sb.ToString();
    }

    public static List<AnalyzedToken> Tokenize(string text)
    {
        var folded = Fold(text);
        var tokens = new List<AnalyzedToken>();
        var i = 0;
        while (i < folded.Length)
        {
            var c = folded[i];
            if (JapaneseText.IsCjk(c))
            {
                var start = i;
                while (i < folded.Length && JapaneseText.IsCjk(folded[i]))
                {
                    i++;
                }

                AddCjkRun(folded, start, i, tokens);
            }
            else if (JapaneseText.IsLatinOrDigit(c))
            {
                var start = i;
                while (i < folded.Length && JapaneseText.IsLatinOrDigit(folded[i]))
                {
                    i++;
                }

                tokens.Add(new AnalyzedToken(folded[start..i], start, i));
            }
            else
            {
                i++;
            }
        }

        return tokens;
    }

    // Kanji and katakana carry the topic of a Japanese question; bigrams made only of kana are
    // mostly grammar ("ている", "ですか"), and kanji-kana bigrams sit on word edges.
    public static double TermFactor(string term)
    {
        if (IsHiraganaOnly(term))
        {
            return 0.2;
        }

        var hasKana = false;
        var hasOther = false;
        foreach (var c in term)
        {
            if (c is >= '\u3041' and <= '\u309F')
            {
                hasKana = true;
            }
            else
            {
                hasOther = true;
            }
        }

        return hasKana && hasOther ? 0.5 : 1.0;
    }

    public static bool IsHiraganaOnly(string term)
    {
        foreach (var c in term)
        {
            if (c is < '\u3041' or > '\u309F' && c != 'ー')
            {
                return false;
            }
        }

        return true;
    }

    // Overlapping bigrams stand in for words, which Japanese text does not mark; a lone
    // character between scripts or punctuation is kept as a unigram so it stays searchable.
    private static void AddCjkRun(string text, int start, int end, List<AnalyzedToken> tokens)
    {
        if (end - start == 1 || (end - start == 2 && char.IsSurrogatePair(text[start], text[start + 1])))
        {
            tokens.Add(new AnalyzedToken(text[start..end], start, end));
            return;
        }

        var positions = new List<int>();
        for (var i = start; i < end; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            positions.Add(i);
        }

        positions.Add(end);
        for (var k = 0; k + 2 < positions.Count; k++)
        {
            tokens.Add(new AnalyzedToken(text[positions[k]..positions[k + 2]], positions[k], positions[k + 2]));
        }
    }

    private static char FoldChar(char c) =>
        c is >= '\u30A1' and <= '\u30F6' ? (char)(c - 0x60) // katakana → hiragana
        : char.ToLowerInvariant(c);
}
