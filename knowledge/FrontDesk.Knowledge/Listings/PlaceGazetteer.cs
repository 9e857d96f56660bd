using System.Text;

namespace FrontDesk.Knowledge.Listings;

public sealed record Place(string Prefecture, string? Municipality)
{
    public string Name => Municipality ?? Prefecture;
}

/// <summary>A place name as written in a request, and the places it may stand for (two when a name is shared).</summary>
public sealed record PlaceMention(string Text, int Start, IReadOnlyList<Place> Places);

/// <summary>
/// Prefectures and municipalities with their readings and common abbreviations, from knowledge/content/listings/places.tsv.
/// Kanji and romaji names match anywhere; a hiragana reading only where a place word follows (「ながので」, 「まつもと市」),
/// so 「なら」 in 「5万円以下なら」 is not 奈良.
/// </summary>
public sealed class PlaceGazetteer
{
    // One entry per written form with every place it may stand for, longest forms first: ~1,800 municipalities give
    // ~5,000 forms, each looked for once per request.
    readonly (string Form, IReadOnlyList<Place> Places, bool Kana)[] forms;

    public IReadOnlyList<string> Prefectures { get; }

    PlaceGazetteer(IEnumerable<(string Form, Place Place)> entries)
    {
        var byForm = new Dictionary<string, (List<Place> Places, bool Kana, int Order)>();
        foreach (var (form, place) in entries)
        {
            var folded = Fold(form);
            if (!byForm.TryGetValue(folded, out var e))
                byForm[folded] = e = ([], IsHiragana(form), byForm.Count);
            if (!e.Places.Contains(place))
                e.Places.Add(place);
        }
        // Longest first, so 長野市 wins over 長野 and 南魚沼 over 魚沼; otherwise in file order (north to south).
        forms = [.. byForm.OrderByDescending(f => f.Key.Length).ThenBy(f => f.Value.Order).Select(f => (f.Key, (IReadOnlyList<Place>)f.Value.Places, f.Value.Kana))];
        Prefectures = entries.Where(e => e.Place.Municipality is null).Select(e => e.Place.Prefecture).Distinct().ToList();
    }

    public static PlaceGazetteer Load(string path) => Parse(File.ReadAllLines(path, Encoding.UTF8));

    static readonly Lazy<PlaceGazetteer> Embedded = new(() =>
    {
        using var stream = typeof(PlaceGazetteer).Assembly.GetManifestResourceStream("FrontDesk.Knowledge.Listings.places.tsv")!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')));
    });

    /// <summary>knowledge/content/listings/places.tsv as built into the assembly.</summary>
    public static PlaceGazetteer BuiltIn() => Embedded.Value;

    public static PlaceGazetteer Parse(IEnumerable<string> lines)
    {
        var entries = new List<(string, Place)>();
        foreach (var line in lines)
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var cols = line.Split('\t');
            if (cols.Length < 3)
                throw new FormatException($"place line needs kind, prefecture and name: {line}");
            var place = cols[0] == "pref" ? new Place(cols[1], null) : new Place(cols[1], cols[2]);
            entries.Add((cols[2], place));
            if (cols.Length > 3)
                foreach (var alias in cols[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    entries.Add((alias, place));
                    // The reading with the suffix in kanji, as people write it: ひだし → ひだ市, おおまちまち → おおまち町.
                    if (place.Municipality is { Length: > 1 } name && KanaSuffix(name[^1], alias) is { } stem)
                        entries.Add((stem + name[^1], place));
                }
        }
        return new PlaceGazetteer(entries);
    }

    static string? KanaSuffix(char suffix, string alias)
    {
        if (!alias.All(c => c is >= '\u3041' and <= '\u309F'))
            return null;
        foreach (var reading in suffix switch { '市' => ["し"], '町' => ["まち", "ちょう"], '村' => ["むら", "そん"], '区' => ["く"], _ => Array.Empty<string>() })
            if (alias.Length > reading.Length + 1 && alias.EndsWith(reading, StringComparison.Ordinal))
                return alias[..^reading.Length];
        return null;
    }

    public static string Fold(string s) => s.Normalize(NormalizationForm.FormKC).ToLowerInvariant();

    /// <summary>Every place named in the (folded) text, longest names first, without overlaps, in text order.</summary>
    public IReadOnlyList<PlaceMention> Find(string folded)
    {
        var taken = new bool[folded.Length];
        var found = new List<PlaceMention>();
        foreach (var (form, places, kana) in forms)
        {
            for (var at = folded.IndexOf(form, StringComparison.Ordinal); at >= 0; at = folded.IndexOf(form, at + 1, StringComparison.Ordinal))
            {
                var end = at + form.Length;
                if (Enumerable.Range(at, form.Length).Any(i => taken[i]) || !Boundaries(folded, at, end, form, kana))
                    continue;
                // 「東京から通える」 names where the user lives, not where they look.
                if (folded.AsSpan(end).StartsWith("から") || folded.AsSpan(end).StartsWith("より"))
                    continue;
                for (var i = at; i < end; i++)
                    taken[i] = true;
                found.Add(new PlaceMention(folded[at..end], at, places));
            }
        }
        return found.OrderBy(m => m.Start).ToList();
    }

    static readonly string[] PlaceWords = ["県", "府", "都", "市", "町", "村", "で", "の", "周辺", "あたり", "辺り", "方面", "近辺", "エリア", "に"];

    static bool Boundaries(string text, int at, int end, string form, bool kana)
    {
        if (IsAsciiWord(form))
            return (at == 0 || !char.IsAsciiLetter(text[at - 1])) && (end == text.Length || !char.IsAsciiLetter(text[end]));
        if (!kana)
            return true;
        var before = at == 0 || !IsHiragana(text[at - 1]);
        var after = PlaceWords.Any(w => text.AsSpan(end).StartsWith(w));
        return before && after;
    }

    static bool IsAsciiWord(string s) => s.All(char.IsAsciiLetter);
    static bool IsHiragana(char c) => c is >= '\u3041' and <= '\u309F';
    static bool IsHiragana(string s) => s.All(IsHiragana);
}
