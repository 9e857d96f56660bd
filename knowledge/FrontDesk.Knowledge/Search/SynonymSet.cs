using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Search;

// Groups of interchangeable phrases, one group per line: "a = b = c". Matching works on analysed
// tokens, so width, kana and spacing differences between query and list do not matter.
// A line "a | b | c" lists qualifiers that name different cases of one thing (世帯 | 単身 | 子ども):
// a question naming one of them wants the sentence about that case, not a sibling's.
public sealed class SynonymSet
{
    private readonly List<string[][]> groups;
    private readonly List<string[][]> contrasts;
    private readonly List<string[]> phrases;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<MeCabTagger, List<string[][]>> lemmaGroups = new();

    private SynonymSet(List<string[][]> groups, List<string[][]> contrasts, List<string[]> phrases)
    {
        this.groups = groups;
        this.contrasts = contrasts;
        this.phrases = phrases;
    }

    public static SynonymSet Empty { get; } = new([], [], []);

    public int ContrastCount => contrasts.Count;

    public int GroupCount => groups.Count;

    public static SynonymSet Load(string path) => Parse(File.ReadAllLines(path));

    public static SynonymSet Parse(IEnumerable<string> lines)
    {
        var groups = new List<string[][]>();
        var contrasts = new List<string[][]>();
        var phrases = new List<string[]>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var contrast = line.Contains('|');
            var written = line.Split(contrast ? '|' : '=', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (!contrast && written.Length >= 2)
            {
                phrases.Add(written);
            }

            var members = written
                .Select(m => TextAnalysis.Tokenize(m).Select(t => t.Term).ToArray())
                .Where(m => m.Length > 0)
                .ToArray();
            if (members.Length >= 2)
            {
                (contrast ? contrasts : groups).Add(members);
            }
        }

        return new SynonymSet(groups, contrasts, phrases);
    }

    // The same groups matched on lemma terms (TextAnalysis.Lemmas): "もらう = 受け取る" reaches
    // 「受け取れます」 from 「もらえますか」. Each member's lemmas are worked out once per tagger.
    public List<SynonymMatch> MatchLemmas(IReadOnlyList<string> queryLemmas, MeCabTagger tagger)
    {
        if (!tagger.IsAvailable || phrases.Count == 0)
        {
            return [];
        }

        var lemmaed = lemmaGroups.GetOrAdd(tagger, t => phrases
            .Select(g => g.Select(m => TextAnalysis.Lemmas(m, t).Select(l => l.Plain ?? l.Term).ToArray()).Where(m => m.Length > 0).ToArray())
            .Where(g => g.Length >= 2)
            .ToList());
        return Match(lemmaed, queryLemmas);
    }

    // For each contrast line the question names exactly one case of: that case and its siblings.
    public List<Qualifier> Qualifiers(IReadOnlyList<string> queryTerms)
    {
        var qualifiers = new List<Qualifier>();
        foreach (var line in contrasts)
        {
            var named = line.Where(m => Occurrences(queryTerms, m).Any()).ToList();
            if (named.Count == 1)
            {
                qualifiers.Add(new Qualifier(named[0], line.Where(m => m != named[0]).ToList()));
            }
        }

        return qualifiers;
    }

    // For each group a query mentions: which query tokens matched and the other members' tokens.
    public List<SynonymMatch> Match(IReadOnlyList<string> queryTerms) => Match(groups, queryTerms);

    private static List<SynonymMatch> Match(List<string[][]> groups, IReadOnlyList<string> queryTerms)
    {
        var matches = new List<SynonymMatch>();
        foreach (var group in groups)
        {
            var matchedIndexes = new HashSet<int>();
            foreach (var member in group)
            {
                foreach (var at in Occurrences(queryTerms, member))
                {
                    for (var k = 0; k < member.Length; k++)
                    {
                        matchedIndexes.Add(at + k);
                    }
                }
            }

            if (matchedIndexes.Count > 0)
            {
                matches.Add(new SynonymMatch(matchedIndexes, group));
            }
        }

        return matches;
    }

    private static IEnumerable<int> Occurrences(IReadOnlyList<string> terms, string[] member)
    {
        for (var i = 0; i + member.Length <= terms.Count; i++)
        {
            var all = true;
            for (var k = 0; k < member.Length && all; k++)
            {
                all = terms[i + k] == member[k];
            }

            if (all)
            {
                yield return i;
            }
        }
    }
}

// Asked: the case the question names (analysed terms); Others: the cases it does not.
public sealed record Qualifier(string[] Asked, IReadOnlyList<string[]> Others)
{
    public bool NamedIn(IReadOnlySet<string> terms) => Asked.All(terms.Contains);

    public bool OtherNamedIn(IReadOnlySet<string> terms) => Others.Any(o => o.All(terms.Contains));
}

public sealed record SynonymMatch(IReadOnlySet<int> QueryTokenIndexes, IReadOnlyList<string[]> Members);
