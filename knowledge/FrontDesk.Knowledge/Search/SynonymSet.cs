namespace FrontDesk.Knowledge.Search;

// Groups of interchangeable phrases, one group per line: "a = b = c". Matching works on analysed
// tokens, so width, kana and spacing differences between query and list do not matter.
public sealed class SynonymSet
{
    private readonly List<string[][]> groups;

    private SynonymSet(List<string[][]> groups) => this.groups = groups;

    public static SynonymSet Empty { get; } = new([]);

    public int GroupCount => groups.Count;

    public static SynonymSet Load(string path) => Parse(File.ReadAllLines(path));

    public static SynonymSet Parse(IEnumerable<string> lines)
    {
        var groups = new List<string[][]>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var members = line.Split('=', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(m => TextAnalysis.Tokenize(m).Select(t => t.Term).ToArray())
                .Where(m => m.Length > 0)
                .ToArray();
            if (members.Length >= 2)
            {
                groups.Add(members);
            }
        }

        return new SynonymSet(groups);
    }

    // For each group a query mentions: which query tokens matched and the other members' tokens.
    public List<SynonymMatch> Match(IReadOnlyList<string> queryTerms)
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

public sealed record SynonymMatch(IReadOnlySet<int> QueryTokenIndexes, IReadOnlyList<string[]> Members);
