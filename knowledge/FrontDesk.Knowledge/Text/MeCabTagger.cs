using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Knowledge.Text;

public sealed record MeCabOptions
{
    public const string DefaultLibrary = "libmecab.so.2";

    // Debian installs jumandic beside IPADIC and may make it the system default: name the folder.
    public const string DefaultDictionary = "/var/lib/mecab/dic/ipadic-utf8";

    public string Library { get; init; } = DefaultLibrary;

    public string Dictionary { get; init; } = DefaultDictionary;
}

// One word as IPADIC reads it. Start/End index the text given to Parse; Lemma is the dictionary
// form (もらえ → もらえる), or the surface for words the dictionary does not know.
public readonly record struct Morpheme(string Surface, string PartOfSpeech, string Subtype, string Conjugation, string Lemma, string Reading, int Start, int End);

// Morphological analysis through Debian's libmecab. One dictionary model per process is shared;
// MeCab taggers and lattices are not safe to share between threads, so each parse rents its own
// pair from a small pool. When the library or dictionary is missing the tagger is unavailable:
// Parse returns nothing and callers keep to the bigram path.
public sealed class MeCabTagger
{
    // Longer input is not a question or a passage; it is read up to here, in chunks MeCab handles quickly.
    public const int MaxInputChars = 20_000;
    private const int ChunkChars = 2_000;
    private const int MaxCachedBases = 50_000;

    private static readonly ConcurrentDictionary<(string Library, string Dictionary), MeCabTagger> Opened = new();

    private readonly MeCabNative? native;
    private readonly nint model;
    private readonly ConcurrentBag<(nint Tagger, nint Lattice)> pool = [];
    private readonly int maxPooled = Environment.ProcessorCount * 2 + 2;
    private readonly ConcurrentDictionary<string, string> potentialBases = new();
    private int warned;

    private MeCabTagger(MeCabOptions options)
    {
        native = MeCabNative.Load(options.Library, out var problem);
        if (native is not null && !File.Exists(Path.Combine(options.Dictionary, "sys.dic")))
        {
            problem = $"the MeCab dictionary '{options.Dictionary}' has no sys.dic";
        }
        else if (native is not null)
        {
            // An empty rc file: the dictionary named here, nothing from /etc/mecabrc.
            model = native.NewModel($"-r /dev/null -d {options.Dictionary}", out problem);
        }

        Problem = model == 0 ? problem ?? "MeCab could not be started" : null;
    }

    public static MeCabTagger Default => Open(new MeCabOptions());

    public bool IsAvailable => model != 0;

    // Why MeCab is not available (no user text in it), or null.
    public string? Problem { get; }

    // The same library and dictionary give the same tagger; a missing one is warned about once.
    public static MeCabTagger Open(MeCabOptions options, ILogger? logger = null)
    {
        var tagger = Opened.GetOrAdd((options.Library, options.Dictionary), _ => new MeCabTagger(options));
        if (!tagger.IsAvailable && logger is not null && Interlocked.Exchange(ref tagger.warned, 1) == 0)
        {
            logger.LogWarning("Morphological analysis is off ({Problem}); search uses character bigrams only. Install mecab libmecab2 mecab-ipadic-utf8 to enable it", tagger.Problem);
        }

        return tagger;
    }

    public List<Morpheme> Parse(string? text)
    {
        var morphemes = new List<Morpheme>();
        if (!IsAvailable || string.IsNullOrEmpty(text))
        {
            return morphemes;
        }

        var clean = Sanitize(text.Length > MaxInputChars ? text[..MaxInputChars] : text);
        for (var start = 0; start < clean.Length;)
        {
            var end = ChunkEnd(clean, start);
            ParseChunk(clean, start, end, morphemes);
            start = end;
        }

        return morphemes;
    }

    // A potential verb's plain verb (もらえる → もらう, 受け取れる → 受け取る) when the dictionary
    // knows that verb as one godan word; otherwise null. Remembered per lemma.
    public string? PotentialBase(string lemma)
    {
        if (!IsAvailable || lemma.Length < 3 || lemma[^1] != 'る' || ERowToURow(lemma[^2]) is not { } u)
        {
            return null;
        }

        if (potentialBases.TryGetValue(lemma, out var known))
        {
            return known.Length == 0 ? null : known;
        }

        var candidate = lemma[..^2] + u;
        var parsed = Parse(candidate);
        var found = parsed is [{ PartOfSpeech: "動詞" } only] && only.Conjugation.StartsWith("五段", StringComparison.Ordinal) && only.Lemma == candidate
            ? candidate : string.Empty;
        if (potentialBases.Count < MaxCachedBases)
        {
            potentialBases.TryAdd(lemma, found);
        }

        return found.Length == 0 ? null : found;
    }

    private static char? ERowToURow(char c) => c switch
    {
        'え' => 'う',
        'け' => 'く',
        'げ' => 'ぐ',
        'せ' => 'す',
        'て' => 'つ',
        'ね' => 'ぬ',
        'べ' => 'ぶ',
        'め' => 'む',
        'れ' => 'る',
        _ => null,
    };

    // Same length as the input, so offsets still index it: NUL, control characters and lone
    // surrogates (which UTF-8 cannot carry) become spaces, which MeCab skips.
    private static string Sanitize(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || char.IsControl(c) || c == '\uFFFE' || c == '\uFFFF')
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }

    // Chunks end after a sentence mark or a space near the limit, never inside a surrogate pair.
    private static int ChunkEnd(string text, int start)
    {
        if (text.Length - start <= ChunkChars)
        {
            return text.Length;
        }

        var limit = start + ChunkChars;
        for (var i = limit - 1; i > limit - 200; i--)
        {
            if (text[i] is '。' or '！' or '？' or '、' or ' ' or '\u3000' or '.' or ',')
            {
                return i + 1;
            }
        }

        return char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit;
    }

    private unsafe void ParseChunk(string text, int start, int end, List<Morpheme> morphemes)
    {
        var chunk = text.AsSpan(start, end - start);
        var length = Encoding.UTF8.GetByteCount(chunk);
        var bytes = ArrayPool<byte>.Shared.Rent(length + 1);
        string? output;
        var worker = Rent();
        if (worker.Tagger == 0)
        {
            ArrayPool<byte>.Shared.Return(bytes);
            return;
        }

        try
        {
            Encoding.UTF8.GetBytes(chunk, bytes);
            bytes[length] = 0;
            fixed (byte* p = bytes)
            {
                output = native!.Parse(worker.Tagger, worker.Lattice, p, length);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            Return(worker);
        }

        if (output is null)
        {
            return;
        }

        // "surface\tPOS,subtype,…,conjugation type,form,lemma,reading,pronunciation" per line, then EOS.
        var cursor = start;
        foreach (var line in output.Split('\n'))
        {
            var tab = line.IndexOf('\t');
            if (tab <= 0)
            {
                continue;
            }

            var surface = line[..tab];
            var fields = line[(tab + 1)..].Split(',');
            var at = text.IndexOf(surface, cursor, end - cursor, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            cursor = at + surface.Length;
            string Field(int i) => i < fields.Length ? fields[i] : "*";
            var lemma = Field(6) is var l && l != "*" && l.Length > 0 ? l : surface;
            morphemes.Add(new Morpheme(surface, Field(0), Field(1), Field(4), lemma, Field(7) == "*" ? string.Empty : Field(7), at, cursor));
        }
    }

    private (nint Tagger, nint Lattice) Rent()
    {
        if (pool.TryTake(out var worker))
        {
            return worker;
        }

        var tagger = native!.NewTagger(model);
        var lattice = tagger == 0 ? 0 : native.NewLattice(model);
        if (lattice == 0 && tagger != 0)
        {
            native.DestroyTagger(tagger);
            tagger = 0;
        }

        return (tagger, lattice);
    }

    private void Return((nint Tagger, nint Lattice) worker)
    {
        if (pool.Count < maxPooled)
        {
            pool.Add(worker);
            return;
        }

        native!.DestroyLattice(worker.Lattice);
        native.DestroyTagger(worker.Tagger);
    }
}
