using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Search;

// The passages' kanji words by their reading, so a question that spells one in kana
// (「いじゅうしえんきん いくら」, 「かんみんPFって」, 「イジュウシエンキン」) is searched as the passages
// write it. Built from MeCab's readings of the indexed text; without MeCab nothing is respelled.
public sealed partial class KanaSpellings
{
    private const int MinReading = 3;
    private const int MaxCompound = 4;

    // A particle after the word ("かんみんって"): the word is the run without it.
    private static readonly string[] Particles = ["って", "から", "まで", "は", "が", "を", "の", "に", "で", "も", "と", "へ", "や"];

    private readonly Dictionary<string, string> surfaces;

    private KanaSpellings(Dictionary<string, string> surfaces) => this.surfaces = surfaces;

    public static KanaSpellings Empty { get; } = new([]);

    public int Count => surfaces.Count;

    // Counts each (reading, surface) pair over the texts; a reading keeps its commonest surface.
    public sealed class Collector
    {
        private readonly ConcurrentDictionary<(string Reading, string Surface), int> counts = new();

        // Nouns in a row (with their prefixes and suffixes) make a compound; every run of up to
        // four of them is a spelling, so 「移住支援金」 is found as a whole and as 「支援金」.
        public void Add(IReadOnlyList<Morpheme> morphemes)
        {
            var run = new List<Morpheme>();
            foreach (var m in morphemes.Append(default))
            {
                if (IsNounPart(m))
                {
                    run.Add(m);
                    continue;
                }

                for (var i = 0; i < run.Count; i++)
                {
                    var surface = new StringBuilder();
                    var reading = new StringBuilder();
                    for (var j = i; j < run.Count && j < i + MaxCompound; j++)
                    {
                        surface.Append(run[j].Surface);
                        reading.Append(Fold(run[j].Reading));
                        var s = surface.ToString();
                        if (reading.Length >= MinReading && s.Any(JapaneseText.IsIdeograph))
                        {
                            counts.AddOrUpdate((reading.ToString(), s), 1, (_, n) => n + 1);
                        }
                    }
                }

                run.Clear();
            }
        }

        public KanaSpellings Build() => new(counts
            .GroupBy(kv => kv.Key.Reading)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Surface, StringComparer.Ordinal).First().Key.Surface));

        private static bool IsNounPart(Morpheme m) =>
            m.Reading is { Length: > 0 } r && r != "*" && (m.PartOfSpeech == "名詞"
                ? m.Subtype is not ("非自立" or "代名詞" or "数" or "特殊")
                : m.PartOfSpeech == "接頭詞");
    }

    // Each kana run that is one of the passages' words (less a particle after it) is written the
    // way the passages write it. A hiragana run right after a kanji is that word's inflection
    // (「申請しない」), never a word of its own.
    public string Respell(string question)
    {
        if (surfaces.Count == 0)
        {
            return question;
        }

        return KanaRun().Replace(question, match =>
        {
            var hiragana = match.Value.All(c => c is >= '\u3041' and <= '\u309F');
            if (hiragana && match.Index > 0 && JapaneseText.IsIdeograph(question[match.Index - 1]))
            {
                return match.Value;
            }

            var folded = Fold(match.Value);
            if (surfaces.TryGetValue(folded, out var whole))
            {
                return whole;
            }

            foreach (var particle in Particles)
            {
                if (folded.Length - particle.Length >= MinReading && folded.EndsWith(particle, StringComparison.Ordinal)
                    && surfaces.TryGetValue(folded[..^particle.Length], out var word))
                {
                    return word + match.Value[^particle.Length..];
                }
            }

            return match.Value;
        });
    }

    private static string Fold(string kana)
    {
        var sb = new StringBuilder(kana.Length);
        foreach (var c in kana)
        {
            sb.Append(c is >= '\u30A1' and <= '\u30F6' ? (char)(c - 0x60) : c);
        }

        return sb.ToString();
    }

    // A katakana word and the hiragana after it ("イジュウシエンキンっていくら") are two runs.
    [GeneratedRegex(@"[\p{IsKatakana}ー]{3,}|\p{IsHiragana}{3,}")]
    private static partial Regex KanaRun();
}
