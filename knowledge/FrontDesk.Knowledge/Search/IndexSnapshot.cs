using FrontDesk.Knowledge.Ingestion;
using FrontDesk.Knowledge.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Directory = Lucene.Net.Store.Directory;

namespace FrontDesk.Knowledge.Search;

// Score is BM25; RankScore (0..1) is what the hits are ordered by after re-ranking.
public sealed record SearchHit(Passage Passage, float Score, int Rank, double RankScore = 1)
{
    public string PassageId => Passage.Id;

    public string DocumentId => Passage.DocumentId;
}

public sealed record SearchResult(IReadOnlyList<SearchHit> Hits, QueryProfile Profile)
{
    public static SearchResult Empty { get; } = new([], new QueryProfile([], _ => []));
}

// An immutable in-memory index of one set of passages. Readers share it freely; the
// KnowledgeIndex holder swaps whole snapshots instead of mutating one.
public sealed class IndexSnapshot : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string BodyField = "body";
    private const string ContextField = "context";
    private const string OrdinalField = "ord";
    private const int MaxQueryTerms = 256;
    private const int MaxQueryChars = 2000;
    private const int MaxCachedTerms = 200_000;
    private const int RetrievalDepth = 60;
    private const int RerankPool = 20;
    private const int PerDocumentPool = 3;
    private const double Bm25Share = 0.45;
    private const double PassageCoverageShare = 0.55;

    // Questions often name the source ("知事会が求めていること") while the passage that answers
    // never repeats it; what the whole document covers counts at a discount.
    private const double InheritedShare = 0.6;
    private const double AnswerTypeBonus = 0.1;
    private const float ContextBoost = 0.3f;
    private const float SynonymBoost = 0.7f;
    private const double UnknownLatinFactor = 0.3;
    private const double DetailFactor = 0.6;

    // A passage in the other language than the question (an article's English summary for a
    // Japanese question) still counts, but below the passages the user can read as asked.
    private const double OtherLanguageFactor = 0.8;

    // Question words carry no topic; they only dilute coverage for English questions.
    private static readonly HashSet<string> EnglishStopWords =
    [
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "by", "with", "from", "as", "is", "are", "was",
        "were", "be", "been", "do", "does", "did", "what", "which", "who", "whom", "when", "where", "why", "how", "much",
        "many", "there", "their", "they", "this", "that", "these", "those", "can", "could", "would", "should", "will",
        "i", "you", "we", "my", "your", "our", "me", "us", "about", "any", "some", "if", "so", "than", "then", "s",
        "please", "tell", "know", "get", "have", "has", "its",
    ];

    private readonly Directory directory;
    private readonly DirectoryReader reader;
    private readonly IndexSearcher searcher;
    private readonly Passage[] passages;
    private readonly string[] languages;
    private readonly SynonymSet synonyms;
    private readonly Analyzer analyzer;
    private readonly Dictionary<string, HashSet<string>> documentTerms = [];
    // Lucene document number → passage ordinal, read once instead of loading stored fields per query.
    private readonly int[] ordinalByDoc;
    // Each passage's analysed terms (context and text): re-ranking needs them on every query.
    private readonly IReadOnlySet<string>[] passageTerms;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Field, string Term), int> docFreqs = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<System.Text.RegularExpressions.Regex, byte[]> answerTypes = new();
    private int references = 1;

    private IndexSnapshot(long version, Passage[] passages, SynonymSet synonyms, Analyzer analyzer, Directory directory)
    {
        this.analyzer = analyzer;
        SnapshotVersion = version;
        this.passages = passages;
        languages = passages.Select(p => TextLanguage.Detect(p.Text)).ToArray();
        this.synonyms = synonyms;
        this.directory = directory;
        reader = DirectoryReader.Open(directory);
        searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        ordinalByDoc = new int[reader.MaxDoc];
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            ordinalByDoc[doc] = reader.Document(doc).GetField(OrdinalField).GetInt32Value() ?? -1;
        }

        // Each passage's terms are worked out here, with its document's, rather than on the first
        // query that pools it: a first query would otherwise analyse a hundred passages. Term
        // strings are shared between passages to keep the sets small.
        passageTerms = new IReadOnlySet<string>[passages.Length];
        var shared = new Dictionary<string, string>();
        string Shared(string term) => shared.TryGetValue(term, out var known) ? known : shared[term] = term;
        for (var i = 0; i < passages.Length; i++)
        {
            var p = passages[i];
            if (!documentTerms.TryGetValue(p.DocumentId, out var terms))
            {
                documentTerms[p.DocumentId] = terms = [.. Analyze(p.DocumentTitle + "\n" + string.Join('\n', p.Metadata.Aliases ?? [])).Select(Shared)];
            }

            var own = new HashSet<string>(Analyze(p.Text).Select(Shared));
            terms.UnionWith(own);
            own.UnionWith(Analyze(ContextOf(p)).Select(Shared));
            own.TrimExcess();
            passageTerms[i] = own;
        }
    }

    public long SnapshotVersion { get; }

    public int PassageCount => passages.Length;

    // The analyser defaults to the Japanese chain; evaluation passes a plain one as a baseline.
    public static IndexSnapshot Build(IEnumerable<Passage> passages, SynonymSet synonyms, long version, Analyzer? analyzer = null)
    {
        analyzer ??= new JapaneseAnalyzer();
        var list = passages.ToArray();
        var directory = new RAMDirectory();
        var config = new IndexWriterConfig(Version, analyzer)
        {
            Similarity = new BM25Similarity(),
            OpenMode = OpenMode.CREATE,
            RAMBufferSizeMB = 256,
        };
        using (var writer = new IndexWriter(directory, config))
        {
            for (var i = 0; i < list.Length; i++)
            {
                var p = list[i];
                writer.AddDocument(new Document
                {
                    new StoredField(OrdinalField, i),
                    new TextField(BodyField, p.Text, Field.Store.NO),
                    new TextField(ContextField, ContextOf(p), Field.Store.NO),
                });
            }

            // One segment: every term lookup (document frequencies, query terms) is one seek, not one per segment.
            writer.ForceMerge(1);
            writer.Commit();
        }

        return new IndexSnapshot(version, list, synonyms, analyzer, directory);
    }

    public SearchResult Search(string? question, int top = 5)
    {
        if (string.IsNullOrWhiteSpace(question) || passages.Length == 0)
        {
            return SearchResult.Empty;
        }

        // Anything past the first couple of thousand characters is not a question any more.
        var text = question.Length > MaxQueryChars ? question[..MaxQueryChars] : question;
        var terms = Analyze(text).Take(MaxQueryTerms * 4).ToList();
        if (terms.Count == 0)
        {
            return SearchResult.Empty;
        }

        var kinds = Kinds(text);
        var profile = Profile(terms, kinds, text);
        var query = new BooleanQuery();
        var boosts = new Dictionary<string, float>();
        foreach (var concept in profile.Concepts)
        {
            for (var a = 0; a < concept.Alternatives.Count; a++)
            {
                foreach (var term in concept.Alternatives[a])
                {
                    var boost = (a == 0 ? 1f : SynonymBoost) * (float)(a == 0 ? Factor(kinds, term) : 1.0);
                    boosts[term] = Math.Max(boosts.GetValueOrDefault(term), boost);
                }
            }
        }

        // A term no passage holds in a field scores nothing there; leaving it out keeps the query
        // small (synonym groups bring many English and Japanese alternatives).
        foreach (var (term, boost) in boosts.OrderByDescending(kv => kv.Value).Take(MaxQueryTerms))
        {
            if (DocFreq(BodyField, term) > 0)
            {
                query.Add(new TermQuery(new Term(BodyField, term)) { Boost = boost }, Occur.SHOULD);
            }

            if (DocFreq(ContextField, term) > 0)
            {
                query.Add(new TermQuery(new Term(ContextField, term)) { Boost = boost * ContextBoost }, Occur.SHOULD);
            }
        }

        if (query.Clauses.Count == 0)
        {
            return new SearchResult([], profile);
        }

        // BM25 rewards repeating one query term; re-ranking a wider pool by how many of the
        // question's distinct concepts a passage holds favours passages that answer all of it.
        var docs = searcher.Search(query, Math.Max(RetrievalDepth, top));
        if (docs.ScoreDocs.Length == 0)
        {
            return new SearchResult([], profile);
        }

        // The pool is the BM25 head plus the best few of every document further down, so a long
        // document that repeats the query's commonest word cannot crowd out the others.
        var best = docs.ScoreDocs[0].Score;
        var expected = profile.ExpectedAnswer;
        var language = TextLanguage.Detect(text);
        var retrieved = docs.ScoreDocs
            .Select(d => (Ordinal: ordinalByDoc[d.Doc], Bm25: d.Score))
            .Select(d => (Passage: passages[d.Ordinal], d.Ordinal, d.Bm25, SameLanguage: languages[d.Ordinal] == language))
            .ToList();
        var pool = retrieved.Take(RerankPool)
            .Concat(retrieved.GroupBy(r => r.Passage.DocumentId).SelectMany(g => g.Take(PerDocumentPool)))
            .DistinctBy(r => r.Passage.Id);
        var inherited = new Dictionary<string, double[]>();
        double[] Inherited(string documentId)
        {
            if (!inherited.TryGetValue(documentId, out var coverage))
            {
                inherited[documentId] = coverage = profile.ConceptCoverage(DocumentTerms(documentId));
            }

            return coverage;
        }

        var ranked = pool
            .Select(r => (r.Passage, r.Bm25, Blend: (r.SameLanguage ? 1 : OtherLanguageFactor) * (
                Bm25Share * r.Bm25 / best
                + PassageCoverageShare * profile.Coverage(PassageTerms(r.Ordinal), Inherited(r.Passage.DocumentId), InheritedShare)
                + (expected is not null && Holds(expected, r.Ordinal) ? AnswerTypeBonus : 0))))
            .OrderByDescending(x => x.Blend)
            .Take(Math.Max(1, top))
            .Select((x, i) => new SearchHit(x.Passage, x.Bm25, i + 1, x.Blend))
            .ToList();
        return new SearchResult(ranked, profile);
    }


    public void Dispose() => Release();

    // The article's aliases (other names, misspellings) sit with its title: a question worded the
    // way an alias is reaches the article at the context field's modest weight.
    public static string ContextOf(Passage p) =>
        p.Metadata.Aliases is { Count: > 0 } aliases
            ? p.DocumentTitle + "\n" + string.Join('\n', aliases) + "\n" + string.Join('\n', p.HeadingPath)
            : p.DocumentTitle + "\n" + string.Join('\n', p.HeadingPath);

    internal bool TryAcquire()
    {
        while (true)
        {
            var count = Volatile.Read(ref references);
            if (count <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref references, count + 1, count) == count)
            {
                return true;
            }
        }
    }

    // The last holder of a reference closes the reader, so a swap never pulls an index out from
    // under a query still running on it.
    internal void Release()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            reader.Dispose();
            directory.Dispose();
        }
    }

    // How much each query term says about the topic, judged on the question as written.
    private static Dictionary<string, double> Kinds(string question)
    {
        var factors = new Dictionary<string, double>();
        foreach (var token in TextAnalysis.Tokenize(question))
        {
            factors[token.Term] = Math.Max(factors.GetValueOrDefault(token.Term), TextAnalysis.KindFactor(token.Kind));
        }

        return factors;
    }

    private static double Factor(Dictionary<string, double> kinds, string term) => kinds.GetValueOrDefault(term, 1.0);

    private static bool IsWordBigram(AnalyzedToken token) =>
        token.Kind == TokenKind.Content && token.Term.Length == 2 && JapaneseText.ContainsCjk(token.Term);

    private IReadOnlySet<string> PassageTerms(int ordinal) => passageTerms[ordinal];

    // Questions repeat their words (and synonym groups their members): document frequencies are
    // remembered per snapshot, up to a bound so odd input cannot grow the cache without limit.
    private int DocFreq(string field, string term)
    {
        var key = (field, term);
        if (docFreqs.TryGetValue(key, out var df))
        {
            return df;
        }

        df = reader.DocFreq(new Term(field, term));
        if (docFreqs.Count < MaxCachedTerms)
        {
            docFreqs.TryAdd(key, df);
        }

        return df;
    }

    // Whether a passage holds the kind of value asked for, remembered per answer type (a fixed,
    // small set of patterns): scanning every pooled passage's text on every query was a third
    // of re-ranking.
    private bool Holds(System.Text.RegularExpressions.Regex expected, int ordinal)
    {
        var known = answerTypes.GetOrAdd(expected, _ => new byte[passages.Length]);
        var state = Volatile.Read(ref known[ordinal]);
        if (state == 0)
        {
            state = expected.IsMatch(passages[ordinal].Text) ? (byte)2 : (byte)1;
            Volatile.Write(ref known[ordinal], state);
        }

        return state == 2;
    }

    private IReadOnlySet<string> DocumentTerms(string documentId) =>
        documentTerms.TryGetValue(documentId, out var terms) ? terms : new HashSet<string>();

    private int UnknownRun(string question)
    {
        var longest = 0;
        var run = 0;
        var previousStart = -2;
        foreach (var token in TextAnalysis.Tokenize(question))
        {
            var unknown = token.Kind == TokenKind.Content && token.Term.Length == 2 && JapaneseText.ContainsCjk(token.Term)
                && DocFreq(BodyField, token.Term) == 0;
            run = unknown ? (token.Start == previousStart + 1 ? run + 1 : 1) : 0;
            longest = Math.Max(longest, run);
            previousStart = unknown ? token.Start : -2;
        }

        return longest;
    }

    private QueryProfile Profile(List<string> terms, Dictionary<string, double> kinds, string question)
    {
        var concepts = new List<QueryConcept>();
        var claimed = new HashSet<int>();
        double PhraseWeight(IReadOnlyCollection<string> tokens) =>
            tokens.Sum(t => Weight(t, kinds)) / Math.Max(1, tokens.Count) * Math.Min(tokens.Count, 3);

        // Longest matches first; a group matching only tokens a longer one already explained
        // ("二拠点居住" inside "二拠点居住者") would count the same words twice.
        foreach (var match in synonyms.Match(terms).OrderByDescending(m => m.QueryTokenIndexes.Count))
        {
            if (match.QueryTokenIndexes.All(claimed.Contains))
            {
                continue;
            }

            var own = match.QueryTokenIndexes.Select(i => terms[i]).Distinct().ToList();

            // A colloquial wording ("やり方") weighs what its written synonym ("利用方法") would.
            var weight = match.Members
                .Where(m => m.All(t => DocFreq(BodyField, t) > 0))
                .Select(m => PhraseWeight(m))
                .Append(PhraseWeight(own))
                .Max();
            var alternatives = new List<string[]> { own.ToArray() };
            alternatives.AddRange(match.Members);
            concepts.Add(new QueryConcept(alternatives, weight));
            claimed.UnionWith(match.QueryTokenIndexes);
        }

        // Bigrams of one kanji compound or katakana word form one concept with partial credit, so
        // "ラーメン" is not half-found in "ガバメント" through a shared "めん".
        if (analyzer is JapaneseAnalyzer)
        {
            var tokens = TextAnalysis.Tokenize(question);
            for (var i = 0; i < tokens.Count && i < terms.Count; i++)
            {
                if (claimed.Contains(i) || !IsWordBigram(tokens[i]))
                {
                    continue;
                }

                var end = i;
                while (end + 1 < tokens.Count && end + 1 < terms.Count && !claimed.Contains(end + 1)
                       && IsWordBigram(tokens[end + 1]) && tokens[end + 1].Start == tokens[end].Start + 1)
                {
                    end++;
                }

                if (end > i)
                {
                    var word = terms.Skip(i).Take(end - i + 1).Distinct().ToList();
                    concepts.Add(new QueryConcept([word.ToArray()], PhraseWeight(word)));
                    claimed.UnionWith(Enumerable.Range(i, end - i + 1));
                }

                i = end;
            }
        }

        foreach (var term in terms.Where((_, i) => !claimed.Contains(i)).Distinct())
        {
            concepts.Add(new QueryConcept([[term]], Weight(term, kinds)) { DetailWeight = Weight(term, kinds, detail: true) });
        }

        return new QueryProfile(concepts, Analyze, analyzer is JapaneseAnalyzer ? UnknownRun(question) : 0, DocumentTerms,
            AnswerType.Expected(JapaneseText.Normalize(question)), synonyms.Qualifiers(terms));
    }

    private List<string> Analyze(string text)
    {
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream(BodyField, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }

    private double Weight(string term, Dictionary<string, double> kinds, bool detail = false)
    {
        if (EnglishStopWords.Contains(term))
        {
            return 0;
        }

        var n = reader.MaxDoc;
        var df = DocFreq(BodyField, term);
        var idf = Math.Log(1 + (n - df + 0.5) / (df + 0.5));

        // An English word the Japanese corpus never uses is usually untranslated, not off-topic.
        if (df == 0 && !JapaneseText.ContainsCjk(term))
        {
            return idf * UnknownLatinFactor;
        }

        var factor = Factor(kinds, term);
        return idf * (!detail ? factor : IsStemEdge(term) ? Math.Max(factor, DetailFactor) : factor > TextAnalysis.KindFactor(TokenKind.Kana) ? Math.Max(factor, DetailFactor * 0.75) : factor);
    }

    // A kanji followed by the start of its inflection ("届け", "申し", "出し"), not by a particle
    // or an auxiliary ("金っ", "出ま", "法は").
    private static bool IsStemEdge(string term) =>
        term.Length == 2 && term[0] is >= '\u4E00' and <= '\u9FFF' && term[1] is >= '\u3041' and <= '\u3096'
        && !"っまでがはをにのともやへかよねだなてた".Contains(term[1]);
}
