using FrontDesk.Knowledge.Ingestion;
using FrontDesk.Knowledge.Search;
using FrontDesk.Knowledge.Text;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Knowledge.Tests.Text;

public sealed class MeCabTaggerTests
{
    private static readonly MeCabTagger Tagger = MeCabTagger.Default;

    [Fact]
    public void A_question_reads_as_words_with_parts_of_speech_and_dictionary_forms()
    {
        Assert.True(Tagger.IsAvailable, Tagger.Problem);
        var words = Tagger.Parse("移住支援金はいくらもらえますか？");

        Assert.Equal(["移住", "支援", "金", "は", "いくら", "もらえ", "ます", "か", "？"], words.Select(w => w.Surface));
        var verb = words.Single(w => w.Surface == "もらえ");
        Assert.Equal(("動詞", "もらえる", "モラエ"), (verb.PartOfSpeech, verb.Lemma, verb.Reading));
        Assert.Equal(("名詞", "移住"), (words[0].PartOfSpeech, words[0].Lemma));
        Assert.Equal("移住支援金はいくらもらえますか？"[verb.Start..verb.End], verb.Surface);
        Assert.Equal("もらう", Tagger.PotentialBase("もらえる"));
        Assert.Equal("受け取る", Tagger.PotentialBase("受け取れる"));
        Assert.Null(Tagger.PotentialBase("考える"));
    }

    [Fact]
    public void Lemma_terms_keep_content_words_only_folded_like_bigrams()
    {
        var lemmas = TextAnalysis.Lemmas("ＩＴ企業の支援金は窓口で受け取れますか", Tagger);

        Assert.Equal(["~it", "~企業", "~支援", "~金", "~窓口", "~受け取れる"], lemmas.Select(l => l.Term));
        Assert.Equal("~受け取る", lemmas[^1].Plain);
        Assert.True(lemmas[^1].Factor < lemmas[1].Factor);
    }

    [Theory]
    [InlineData("移住\uD800支援\uDC00金")]
    [InlineData("移住\0支援金\0")]
    [InlineData("😀🎉👍🏻")]
    [InlineData("!!!???…・★☆♪")]
    [InlineData("\t\r\n  ")]
    public void Bad_input_returns_normally(string text)
    {
        var words = Tagger.Parse(text);

        Assert.All(words, w => Assert.Equal(w.Surface, text[w.Start..w.End]));
        if (text.StartsWith("移住", StringComparison.Ordinal))
        {
            Assert.Contains(words, w => w.Surface == "支援");
        }
    }

    [Fact]
    public void Long_input_is_read_in_chunks_up_to_the_bound()
    {
        var sentence = "移住支援金は転入後に申請します。";
        var tenThousand = string.Concat(Enumerable.Repeat(sentence, 10_000 / sentence.Length + 1))[..10_000];
        var tooLong = string.Concat(Enumerable.Repeat("移住支援金", 10_000));

        var words = Tagger.Parse(tenThousand);
        Assert.True(words.Count(w => w.Surface == "移住") >= 10_000 / sentence.Length);
        Assert.All(words, w => Assert.Equal(w.Surface, tenThousand[w.Start..w.End]));

        var bounded = Tagger.Parse(tooLong);
        Assert.NotEmpty(bounded);
        Assert.True(bounded[^1].End <= MeCabTagger.MaxInputChars);
    }

    [Fact]
    public async Task Concurrent_parses_give_the_same_words_as_one_at_a_time()
    {
        string[] texts =
        [
            "移住支援金はいくらもらえますか", "空き家の改修費用を補助します。", "区域外就学の届け出先はどこですか",
            "二地域居住の相談窓口を設けています", "子育て加算は子ども1人あたり最大100万円です",
        ];
        var expected = texts.Select(t => string.Join('|', Tagger.Parse(t).Select(m => $"{m.Surface}/{m.Lemma}/{m.Start}"))).ToArray();

        var mismatches = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                var k = (worker + i) % texts.Length;
                if (string.Join('|', Tagger.Parse(texts[k]).Select(m => $"{m.Surface}/{m.Lemma}/{m.Start}")) != expected[k])
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        })));

        Assert.Equal(0, mismatches);
    }

    [Theory]
    [InlineData("/nonexistent/libmecab.so.2", MeCabOptions.DefaultDictionary)]
    [InlineData(MeCabOptions.DefaultLibrary, "/nonexistent/mecab-dictionary")]
    public void Without_the_library_or_dictionary_search_keeps_to_bigrams_after_one_warning(string library, string dictionary)
    {
        var log = new ListLogger();
        var options = new MeCabOptions { Library = library, Dictionary = dictionary };
        var missing = MeCabTagger.Open(options, log);
        MeCabTagger.Open(options, log);

        Assert.False(missing.IsAvailable);
        Assert.Empty(missing.Parse("移住支援金はいくらもらえますか"));
        var warning = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("bigrams only", warning.Message, StringComparison.Ordinal);

        var text = "移住した世帯には100万円の支援金が支給されます。";
        using var index = IndexSnapshot.Build(
            [new Passage("a", "doc-a", "支援金", ["概要"], text, 0, text.Length, new DocumentMetadata())],
            SynonymSet.Empty, 1, fields: SearchFields.Fused, mecab: missing);
        Assert.Equal(SearchFields.Bigram, index.Fields);
        Assert.Equal("a", index.Search("支援金はいくら").Hits[0].PassageId);
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
