using System.Text;
using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Search;

// Kind is read from the text before kana folding: katakana words are content, hiragana grammar.
public enum TokenKind
{
    Content,
    Mixed,
    Kana,
}

public readonly record struct AnalyzedToken(string Term, int Start, int End, TokenKind Kind = TokenKind.Content);

// A content word's dictionary form as a search term (LemmaPrefix + folded lemma). Plain is the
// potential verb's plain verb (もらえる → もらう) when there is one. Factor: what the word says
// about the topic (nouns most). Start/End index the normalised text, like AnalyzedToken's.
public readonly record struct LemmaToken(string Term, string? Plain, int Start, int End, double Factor);

// The one place that decides what a searchable term is, shared by the Lucene analyser, query
// building and answer scoring so they cannot drift apart.
public static class TextAnalysis
{
    // Lemma terms share term sets with bigrams; no bigram or Latin run ever starts with this.
    public const string LemmaPrefix = "~";

    // Verbs and adjectives too general to carry a topic.
    private static readonly HashSet<string> GeneralWords = ["する", "ある", "いる", "なる", "できる", "いう", "おる", "くる", "ない", "よい", "いい"];

    // The content words (nouns, verbs, adjectives) of a text as lemma terms, folded the way bigrams are.
    public static List<LemmaToken> Lemmas(string text, MeCabTagger tagger) => Lemmas(Morphemes(text, tagger), tagger);

    // The text as MeCab reads it, after the normalisation every other analysis applies.
    public static List<Morpheme> Morphemes(string text, MeCabTagger tagger) =>
        !tagger.IsAvailable || string.IsNullOrEmpty(text) ? [] : tagger.Parse(JapaneseText.RemoveStraySpaces(JapaneseText.Normalize(text)));

    public static List<LemmaToken> Lemmas(List<Morpheme> morphemes, MeCabTagger tagger)
    {
        var lemmas = new List<LemmaToken>();
        foreach (var m in morphemes)
        {
            var factor = ContentFactor(m);
            if (factor > 0)
            {
                var plain = m.PartOfSpeech == "動詞" && tagger.PotentialBase(m.Lemma) is { } p ? LemmaPrefix + FoldNormalized(p) : null;
                lemmas.Add(new LemmaToken(LemmaPrefix + FoldNormalized(m.Lemma.IsNormalized(NormalizationForm.FormKC) ? m.Lemma : JapaneseText.Normalize(m.Lemma)), plain, m.Start, m.End, factor));
            }
        }

        return lemmas;
    }

    private static double ContentFactor(Morpheme m) => m.PartOfSpeech switch
    {
        _ when GeneralWords.Contains(m.Lemma) => 0,
        "名詞" => m.Subtype is "非自立" or "代名詞" or "特殊" ? 0 : 1,
        "動詞" or "形容詞" => m.Subtype == "自立" ? 0.6 : 0,
        _ => 0,
    };

    public static List<AnalyzedToken> Tokenize(string text)
    {
        var unfolded = JapaneseText.RemoveStraySpaces(JapaneseText.Normalize(text));
        var folded = FoldNormalized(unfolded);
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

                AddCjkRun(folded, unfolded, start, i, tokens);
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

    // Kanji and katakana carry the topic of a Japanese question; bigrams made only of hiragana are
    // mostly grammar ("ている", "ですか"), and kanji-hiragana bigrams sit on word edges.
    public static double KindFactor(TokenKind kind) => kind switch
    {
        TokenKind.Kana => 0.1,
        TokenKind.Mixed => 0.25,
        _ => 1.0,
    };

    private static TokenKind KindOf(string unfolded, int start, int end)
    {
        var hiragana = 0;
        var other = 0;
        for (var i = start; i < end && i < unfolded.Length; i++)
        {
            if (unfolded[i] is >= '\u3041' and <= '\u309F')
            {
                hiragana++;
            }
            else
            {
                other++;
            }
        }

        return hiragana == 0 ? TokenKind.Content : other == 0 ? TokenKind.Kana : TokenKind.Mixed;
    }

    // Overlapping bigrams stand in for words, which Japanese text does not mark; a lone
    // character between scripts or punctuation is kept as a unigram so it stays searchable.
    private static void AddCjkRun(string text, string unfolded, int start, int end, List<AnalyzedToken> tokens)
    {
        if (end - start == 1 || (end - start == 2 && char.IsSurrogatePair(text[start], text[start + 1])))
        {
            tokens.Add(new AnalyzedToken(text[start..end], start, end, KindOf(unfolded, start, end)));
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
            tokens.Add(new AnalyzedToken(text[positions[k]..positions[k + 2]], positions[k], positions[k + 2],
                KindOf(unfolded, positions[k], positions[k + 2])));
        }
    }

    private static string FoldNormalized(string normalized)
    {
        var sb = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            sb.Append(FoldChar(c));
        }

        return sb.ToString();
    }

    private static char FoldChar(char c) =>
        c is >= '\u30A1' and <= '\u30F6' ? (char)(c - 0x60) // katakana → hiragana
        : char.ToLowerInvariant(c);
}
