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
    // Share of the bigram field's top three documents the lemma field also ranks in its top
    // three; null when only one field searched. The answer gate reads it.
    public double? FieldAgreement { get; init; }

    // The question as searched (kana spellings of the passages' words respelled); empty when nothing was searched.
    public string Question { get; init; } = string.Empty;

    public static SearchResult Empty { get; } = new([], new QueryProfile([], _ => []));
}

// Which index fields retrieve and score: character bigrams, MeCab lemmas of content words, or both fused.
public enum SearchFields
{
    Bigram,
    Lemma,
    Fused,
}

// How the bigram and lemma rankings are fused: a weighted sum of scores normalised to the best
// hit of each field, or reciprocal-rank fusion.
public enum FieldFusion
{
    WeightedSum,
    ReciprocalRank,
}

// An immutable in-memory index of one set of passages. Readers share it freely; the
// KnowledgeIndex holder swaps whole snapshots instead of mutating one.
public sealed class IndexSnapshot : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string BodyField = "body";
    private const string ContextField = "context";
    private const string OrdinalField = "ord";
    private const string LemmaField = "lemma";
    private const string LemmaContextField = "lemma_context";
    // The lemma field's part of a weighted-sum fusion (measured 0.2-0.7 on the dev sets; see the notes).
    private const double LemmaShare = 0.4;
    private const int RrfK = 60;
    private const int MaxCachedLemmas = 20_000;
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
    // Lemma terms of texts analysed for queries and answers (sentences, passages), bounded.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> lemmaCache = new();
    private readonly MeCabTagger? tagger;
    private readonly FieldFusion fusion;
    private readonly KanaSpellings spellings;
    private int references = 1;

    private IndexSnapshot(long version, Passage[] passages, SynonymSet synonyms, Analyzer analyzer, Directory directory,
        MeCabTagger? tagger, SearchFields fields, FieldFusion fusion, Func<string, string[]>? lemmasOf, KanaSpellings spellings)
    {
        this.spellings = spellings;
        this.analyzer = analyzer;
        this.tagger = tagger;
        this.fusion = fusion;
        Fields = fields;
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
                var about = p.DocumentTitle + "\n" + string.Join('\n', p.Metadata.Aliases ?? []);
                documentTerms[p.DocumentId] = terms = [.. Analyze(about).Concat(lemmasOf?.Invoke(about) ?? []).Select(Shared)];
            }

            var own = new HashSet<string>(Analyze(p.Text).Concat(lemmasOf?.Invoke(p.Text) ?? []).Select(Shared));
            terms.UnionWith(own);
            own.UnionWith(Analyze(ContextOf(p)).Concat(lemmasOf?.Invoke(ContextOf(p)) ?? []).Select(Shared));
            own.TrimExcess();
            passageTerms[i] = own;
        }
    }

    public long SnapshotVersion { get; }

    // The fields this snapshot actually uses: Bigram when MeCab is unavailable, whatever was asked.
    public SearchFields Fields { get; }

    public int PassageCount => passages.Length;

    // The analyser defaults to the Japanese chain; evaluation passes a plain one as a baseline (bigram
    // fields only). Lemma fields need MeCab (the default tagger unless one is given); without it the
    // snapshot falls back to bigrams.
    public static IndexSnapshot Build(IEnumerable<Passage> passages, SynonymSet synonyms, long version, Analyzer? analyzer = null,
        SearchFields fields = SearchFields.Fused, MeCabTagger? mecab = null, FieldFusion fusion = FieldFusion.WeightedSum)
    {
        var tagger = fields != SearchFields.Bigram && analyzer is null or JapaneseAnalyzer ? mecab ?? MeCabTagger.Default : null;
        if (tagger is { IsAvailable: false })
        {
            tagger = null;
        }

        analyzer ??= new JapaneseAnalyzer();
        var list = passages.ToArray();

        // Every text is analysed by MeCab once, on all cores: the index fields and the re-ranking
        // term sets share the result. Headings and titles repeat from passage to passage.
        // The same parse gives the readings of the passages' words, for questions spelt in kana.
        var lemmas = new System.Collections.Concurrent.ConcurrentDictionary<string, string[]>();
        var spellings = new KanaSpellings.Collector();
        string[] LemmasOf(string text) => lemmas.GetOrAdd(text, t => LemmaTerms(TextAnalysis.Lemmas(t, tagger!)));
        if (tagger is not null)
        {
            Parallel.For(0, list.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                lemmas.GetOrAdd(list[i].Text, t =>
                {
                    var morphemes = TextAnalysis.Morphemes(t, tagger);
                    spellings.Add(morphemes);
                    return LemmaTerms(TextAnalysis.Lemmas(morphemes, tagger));
                });
                LemmasOf(ContextOf(list[i]));
            });
        }

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
                var document = new Document
                {
                    new StoredField(OrdinalField, i),
                    new TextField(BodyField, p.Text, Field.Store.NO),
                    new TextField(ContextField, ContextOf(p), Field.Store.NO),
                };
                if (tagger is not null)
                {
                    document.Add(new TextField(LemmaField, new TermListStream(LemmasOf(p.Text))));
                    document.Add(new TextField(LemmaContextField, new TermListStream(LemmasOf(ContextOf(p)))));
                }

                writer.AddDocument(document);
            }

            // One segment: every term lookup (document frequencies, query terms) is one seek, not one per segment.
            writer.ForceMerge(1);
            writer.Commit();
        }

        return new IndexSnapshot(version, list, synonyms, analyzer, directory, tagger, tagger is null ? SearchFields.Bigram : fields, fusion,
            tagger is null ? null : LemmasOf, tagger is null ? KanaSpellings.Empty : spellings.Build());
    }

    // Each lemma, and a potential verb's plain verb beside it.
    private static string[] LemmaTerms(List<LemmaToken> tokens) =>
        tokens.SelectMany(t => t.Plain is null ? [t.Term] : new[] { t.Term, t.Plain }).ToArray();

    public SearchResult Search(string? question, int top = 5)
    {
        if (string.IsNullOrWhiteSpace(question) || passages.Length == 0)
        {
            return SearchResult.Empty;
        }

        // Anything past the first couple of thousand characters is not a question any more.
        var text = Respell(question.Length > MaxQueryChars ? question[..MaxQueryChars] : question);
        var terms = Analyze(text).Take(MaxQueryTerms * 4).ToList();
        var lemmas = QuestionLemmas(text);
        if (terms.Count == 0 && lemmas.Tokens.Count == 0)
        {
            return SearchResult.Empty;
        }

        var kinds = Kinds(text);
        var profile = Profile(terms, kinds, text, lemmas);
        var bigramHits = Fields == SearchFields.Lemma ? [] : Retrieve(BigramQuery(profile, kinds), top);
        var lemmaHits = Fields == SearchFields.Bigram ? [] : Retrieve(LemmaQuery(lemmas), top);
        var retrievedScores = Fuse(bigramHits, lemmaHits, Math.Max(RetrievalDepth, top));
        if (retrievedScores.Count == 0)
        {
            return new SearchResult([], profile) { Question = text };
        }

        // The pool is the retrieval head plus the best few of every document further down, so a long
        // document that repeats the query's commonest word cannot crowd out the others.
        var expected = profile.ExpectedAnswer;
        var language = TextLanguage.Detect(text);
        var retrieved = retrievedScores
            .Select(d => (Passage: passages[d.Ordinal], d.Ordinal, Bm25: d.Score, d.Retrieval, SameLanguage: languages[d.Ordinal] == language))
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

        // BM25 rewards repeating one query term; re-ranking a wider pool by how many of the
        // question's distinct concepts a passage holds favours passages that answer all of it.
        var ranked = pool
            .Select(r => (r.Passage, r.Bm25, Blend: (r.SameLanguage ? 1 : OtherLanguageFactor) * (
                Bm25Share * r.Retrieval
                + PassageCoverageShare * profile.Coverage(PassageTerms(r.Ordinal), Inherited(r.Passage.DocumentId), InheritedShare)
                + (expected is not null && Holds(expected, r.Ordinal) ? AnswerTypeBonus : 0))))
            .OrderByDescending(x => x.Blend)
            .Take(Math.Max(1, top))
            .Select((x, i) => new SearchHit(x.Passage, x.Bm25, i + 1, x.Blend))
            .ToList();
        return new SearchResult(ranked, profile) { FieldAgreement = Agreement(bigramHits, lemmaHits), Question = text };
    }

    private double? Agreement(ScoreDoc[] bigram, ScoreDoc[] lemma)
    {
        if (bigram.Length == 0 || lemma.Length == 0)
        {
            return null;
        }

        HashSet<string> Top(ScoreDoc[] docs) => docs.Select(d => passages[ordinalByDoc[d.Doc]].DocumentId).Distinct().Take(3).ToHashSet();
        var fromBigrams = Top(bigram);
        var fromLemmas = Top(lemma);
        return (double)fromBigrams.Count(fromLemmas.Contains) / fromBigrams.Count;
    }

    private ScoreDoc[] Retrieve(BooleanQuery query, int top) =>
        query.Clauses.Count == 0 ? [] : searcher.Search(query, Math.Max(RetrievalDepth, top)).ScoreDocs;

    private BooleanQuery BigramQuery(QueryProfile profile, Dictionary<string, double> kinds)
    {
        var boosts = new Dictionary<string, float>();
        foreach (var concept in profile.Concepts)
        {
            for (var a = 0; a < concept.Alternatives.Count; a++)
            {
                foreach (var term in concept.Alternatives[a])
                {
                    if (!term.StartsWith(TextAnalysis.LemmaPrefix, StringComparison.Ordinal))
                    {
                        var boost = (a == 0 ? 1f : SynonymBoost) * (float)(a == 0 ? Factor(kinds, term) : 1.0);
                        boosts[term] = Math.Max(boosts.GetValueOrDefault(term), boost);
                    }
                }
            }
        }

        return FieldQuery(boosts, BodyField, ContextField);
    }

    // The question's content lemmas at their word class's weight, their synonyms a little lower.
    private BooleanQuery LemmaQuery(QuestionLemmaSet lemmas)
    {
        var boosts = new Dictionary<string, float>();
        void Add(string term, double boost) => boosts[term] = Math.Max(boosts.GetValueOrDefault(term), (float)boost);
        foreach (var token in lemmas.Tokens)
        {
            Add(token.Term, token.Factor);
            if (token.Plain is { } plain)
            {
                Add(plain, token.Factor);
            }
        }

        foreach (var match in lemmas.Synonyms)
        {
            var factor = match.QueryTokenIndexes.Max(i => lemmas.Tokens[i].Factor);
            foreach (var term in match.Members.SelectMany(m => m))
            {
                Add(term, SynonymBoost * factor);
            }
        }

        return FieldQuery(boosts, LemmaField, LemmaContextField);
    }

    // A term no passage holds in a field scores nothing there; leaving it out keeps the query
    // small (synonym groups bring many English and Japanese alternatives).
    private BooleanQuery FieldQuery(Dictionary<string, float> boosts, string field, string contextField)
    {
        var query = new BooleanQuery();
        foreach (var (term, boost) in boosts.OrderByDescending(kv => kv.Value).Take(MaxQueryTerms))
        {
            if (DocFreq(field, term) > 0)
            {
                query.Add(new TermQuery(new Term(field, term)) { Boost = boost }, Occur.SHOULD);
            }

            if (DocFreq(contextField, term) > 0)
            {
                query.Add(new TermQuery(new Term(contextField, term)) { Boost = boost * ContextBoost }, Occur.SHOULD);
            }
        }

        return query;
    }

    // One ranking from the two fields' hits. Retrieval is in (0, 1], 1 for the best; Score stays in
    // BM25 units of the bigram field (the composer's confidence reads it), the lemma field's
    // scaled to it for passages only the lemmas found.
    // Only the fused head is kept (as deep as one field's), so re-ranking costs what it did with one field.
    private List<(int Ordinal, double Retrieval, float Score)> Fuse(ScoreDoc[] bigram, ScoreDoc[] lemma, int depth)
    {
        if (lemma.Length == 0 || bigram.Length == 0)
        {
            var only = lemma.Length == 0 ? bigram : lemma;
            var top = only.Length == 0 ? 1 : only[0].Score;
            return only.Select(d => (ordinalByDoc[d.Doc], (double)(d.Score / top), d.Score)).ToList();
        }

        var bestBigram = bigram[0].Score;
        var bestLemma = lemma[0].Score;
        var fused = new Dictionary<int, (double Value, float Score)>();
        for (var r = 0; r < bigram.Length; r++)
        {
            var d = bigram[r];
            fused[d.Doc] = (fusion == FieldFusion.WeightedSum ? (1 - LemmaShare) * d.Score / bestBigram : 1.0 / (RrfK + r + 1), d.Score);
        }

        for (var r = 0; r < lemma.Length; r++)
        {
            var d = lemma[r];
            var value = fusion == FieldFusion.WeightedSum ? LemmaShare * d.Score / bestLemma : 1.0 / (RrfK + r + 1);
            fused[d.Doc] = fused.TryGetValue(d.Doc, out var known)
                ? (known.Value + value, known.Score)
                : (value, d.Score * bestBigram / bestLemma);
        }

        var max = fused.Values.Max(v => v.Value);
        return fused
            .OrderByDescending(kv => kv.Value.Value).ThenBy(kv => kv.Key)
            .Take(depth)
            .Select(kv => (ordinalByDoc[kv.Key], kv.Value.Value / max, kv.Value.Score))
            .ToList();
    }


    // The question with its kana spellings of the passages' kanji words written as the passages write them.
    public string Respell(string question) => spellings.Respell(JapaneseText.Normalize(question));

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

    private QueryProfile Profile(List<string> terms, Dictionary<string, double> kinds, string question, QuestionLemmaSet lemmas)
    {
        if (Fields == SearchFields.Lemma)
        {
            return LemmaProfile(terms, question, lemmas);
        }

        var concepts = new List<QueryConcept>();
        var spans = new List<IReadOnlyCollection<int>>();
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
            spans.Add(match.QueryTokenIndexes);
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
                    spans.Add(Enumerable.Range(i, end - i + 1).ToArray());
                    claimed.UnionWith(Enumerable.Range(i, end - i + 1));
                }

                i = end;
            }
        }

        foreach (var term in terms.Where((_, i) => !claimed.Contains(i)).Distinct())
        {
            concepts.Add(new QueryConcept([[term]], Weight(term, kinds)) { DetailWeight = Weight(term, kinds, detail: true) });
            spans.Add(Enumerable.Range(0, terms.Count).Where(i => !claimed.Contains(i) && terms[i] == term).ToArray());
        }

        if (lemmas.Tokens.Count > 0)
        {
            WithLemmas(concepts, spans, TextAnalysis.Tokenize(question), lemmas);
        }

        return new QueryProfile(concepts, ProfileTerms, analyzer is JapaneseAnalyzer ? UnknownRun(question) : 0, DocumentTerms,
            AnswerType.Expected(JapaneseText.Normalize(question)), synonyms.Qualifiers(terms));
    }

    // Fused: a concept whose bigrams lie inside one verb or adjective also accepts that word's
    // lemma (and its plain verb and lemma synonyms), so 「もらえますか」 is found in 「受け取れます」.
    // Nouns keep their bigrams only: their lemma adds nothing the bigrams lack, and measured
    // slightly worse in sentence choice.
    private static void WithLemmas(List<QueryConcept> concepts, List<IReadOnlyCollection<int>> spans, List<AnalyzedToken> tokens, QuestionLemmaSet lemmas)
    {
        for (var c = 0; c < concepts.Count; c++)
        {
            var word = -1;
            foreach (var i in spans[c])
            {
                if (i < tokens.Count)
                {
                    word = lemmas.Tokens.FindIndex(l => l.Start <= tokens[i].Start && tokens[i].End <= l.End);
                    if (word >= 0)
                    {
                        break;
                    }
                }
            }

            if (word >= 0 && lemmas.Tokens[word].Factor < 1)
            {
                concepts[c] = concepts[c] with { Alternatives = [.. concepts[c].Alternatives, .. lemmas.AlternativesOf(word)] };
            }
        }
    }

    // Lemma only: one concept per content word (or per lemma synonym group), weighted by the
    // lemma's rarity and its word class.
    private QueryProfile LemmaProfile(List<string> terms, string question, QuestionLemmaSet lemmas)
    {
        var concepts = new List<QueryConcept>();
        var claimed = new HashSet<int>();
        double LemmaWeight(string term, double factor) => Weight(term, LemmaField) * factor;
        foreach (var match in lemmas.Synonyms.OrderByDescending(m => m.QueryTokenIndexes.Count))
        {
            if (match.QueryTokenIndexes.All(claimed.Contains))
            {
                continue;
            }

            var own = match.QueryTokenIndexes.Select(i => lemmas.Sequence[i]).Distinct().ToArray();
            var factor = match.QueryTokenIndexes.Max(i => lemmas.Tokens[i].Factor);
            var weight = match.Members.Where(m => m.All(t => DocFreq(LemmaField, t) > 0))
                .Select(m => m.Sum(t => LemmaWeight(t, factor)) / m.Length * Math.Min(m.Length, 3))
                .Append(own.Sum(t => LemmaWeight(t, factor)) / own.Length * Math.Min(own.Length, 3))
                .Max();
            concepts.Add(new QueryConcept([own, .. match.Members], weight));
            claimed.UnionWith(match.QueryTokenIndexes);
        }

        var seen = new HashSet<string>();
        for (var i = 0; i < lemmas.Tokens.Count; i++)
        {
            var token = lemmas.Tokens[i];
            if (!claimed.Contains(i) && seen.Add(token.Term))
            {
                concepts.Add(new QueryConcept(lemmas.AlternativesOf(i), LemmaWeight(token.Term, token.Factor)));
            }
        }

        return new QueryProfile(concepts, ProfileTerms, UnknownRun(question), DocumentTerms,
            AnswerType.Expected(JapaneseText.Normalize(question)), synonyms.Qualifiers(terms));
    }

    private QuestionLemmaSet QuestionLemmas(string question)
    {
        if (tagger is null)
        {
            return QuestionLemmaSet.None;
        }

        var tokens = TextAnalysis.Lemmas(question, tagger).Take(MaxQueryTerms).ToList();
        var sequence = tokens.Select(t => t.Plain ?? t.Term).ToList();
        return new QuestionLemmaSet(tokens, sequence, synonyms.MatchLemmas(sequence, tagger));
    }

    // What the composer and re-ranking compare: bigrams, and lemmas when MeCab is in use.
    private IEnumerable<string> ProfileTerms(string text) => tagger is null ? Analyze(text) : Analyze(text).Concat(CachedLemmas(text));

    private string[] CachedLemmas(string text)
    {
        if (lemmaCache.TryGetValue(text, out var known))
        {
            return known;
        }

        var lemmas = LemmaTerms(TextAnalysis.Lemmas(text, tagger!));
        if (lemmaCache.Count < MaxCachedLemmas)
        {
            lemmaCache.TryAdd(text, lemmas);
        }

        return lemmas;
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
        var weight = Weight(term, BodyField);
        if (weight <= 0 || !JapaneseText.ContainsCjk(term) && DocFreq(BodyField, term) == 0)
        {
            return weight;
        }

        var idf = weight;
        var factor = Factor(kinds, term);
        return idf * (!detail ? factor : IsStemEdge(term) ? Math.Max(factor, DetailFactor) : factor > TextAnalysis.KindFactor(TokenKind.Kana) ? Math.Max(factor, DetailFactor * 0.75) : factor);
    }

    // Rarity in one field; English question words weigh nothing, and an English word the
    // Japanese corpus never uses is usually untranslated, not off-topic.
    private double Weight(string term, string field)
    {
        var bare = field == LemmaField ? term[TextAnalysis.LemmaPrefix.Length..] : term;
        if (EnglishStopWords.Contains(bare))
        {
            return 0;
        }

        var n = reader.MaxDoc;
        var df = DocFreq(field, term);
        var idf = Math.Log(1 + (n - df + 0.5) / (df + 0.5));
        return df == 0 && !JapaneseText.ContainsCjk(bare) ? idf * UnknownLatinFactor : idf;
    }

    // A kanji followed by the start of its inflection ("届け", "申し", "出し"), not by a particle
    // or an auxiliary ("金っ", "出ま", "法は").
    private static bool IsStemEdge(string term) =>
        term.Length == 2 && term[0] is >= '\u4E00' and <= '\u9FFF' && term[1] is >= '\u3041' and <= '\u3096'
        && !"っまでがはをにのともやへかよねだなてた".Contains(term[1]);
}

// The question's content lemmas, the sequence synonyms are matched on (plain verbs where there
// is one) and the lemma synonym groups it names.
internal sealed record QuestionLemmaSet(List<LemmaToken> Tokens, List<string> Sequence, List<SynonymMatch> Synonyms)
{
    public static QuestionLemmaSet None { get; } = new([], [], []);

    public List<string[]> AlternativesOf(int index)
    {
        var token = Tokens[index];
        var alternatives = new List<string[]> { new[] { token.Term } };
        if (token.Plain is { } plain)
        {
            alternatives.Add([plain]);
        }

        foreach (var match in Synonyms)
        {
            if (match.QueryTokenIndexes.Count == 1 && match.QueryTokenIndexes.Contains(index))
            {
                alternatives.AddRange(match.Members);
            }
        }

        return alternatives;
    }
}

// A field whose terms were worked out beforehand (the lemmas MeCab gave at build time).
internal sealed class TermListStream : TokenStream
{
    private readonly string[] terms;
    private readonly ICharTermAttribute term;
    private int next;

    public TermListStream(string[] terms)
    {
        this.terms = terms;
        term = AddAttribute<ICharTermAttribute>();
    }

    public override bool IncrementToken()
    {
        ClearAttributes();
        if (next >= terms.Length)
        {
            return false;
        }

        term.SetEmpty().Append(terms[next++]);
        return true;
    }

    public override void Reset()
    {
        base.Reset();
        next = 0;
    }
}
