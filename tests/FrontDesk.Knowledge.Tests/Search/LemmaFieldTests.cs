using FrontDesk.Knowledge.Ingestion;
using FrontDesk.Knowledge.Search;

namespace FrontDesk.Knowledge.Tests.Search;

public sealed class LemmaFieldTests
{
    private static readonly SynonymSet Synonyms = SynonymSet.Parse(["もらう = 受け取る", "申し込む = 応募する"]);

    private static Passage P(string id, string text) =>
        new(id, "doc-" + id, "窓口の案内", ["手続き"], text, 0, text.Length, new DocumentMetadata());

    private static IndexSnapshot Index(SearchFields fields) => IndexSnapshot.Build(
        [
            P("certificate", "住民票の写しは市役所の窓口で受け取れます。"),
            P("renovation", "空家の改修費用を補助します。"),
            P("consult", "移住の相談は電話でも受け付けています。"),
            P("entry", "お試し住宅への応募は専用フォームから受け付けます。"),
        ],
        Synonyms, 1, fields: fields);

    [Fact]
    public void Only_the_lemma_field_finds_a_passage_worded_with_a_synonym_verb()
    {
        using var bigram = Index(SearchFields.Bigram);
        using var lemma = Index(SearchFields.Lemma);
        using var fused = Index(SearchFields.Fused);
        const string question = "申し込みたいです";

        // The bigrams of 「申し込み」 are not those of the synonym's 「申し込む」; its lemma is.
        Assert.DoesNotContain(bigram.Search(question).Hits, h => h.PassageId == "entry");
        Assert.Equal("entry", lemma.Search(question).Hits[0].PassageId);
        Assert.Equal("entry", fused.Search(question).Hits[0].PassageId);
        Assert.Equal((SearchFields.Lemma, SearchFields.Fused), (lemma.Fields, fused.Fields));
    }

    [Fact]
    public void A_potential_form_in_the_question_covers_the_synonym_verb_of_a_sentence()
    {
        using var fused = Index(SearchFields.Fused);
        using var bigram = Index(SearchFields.Bigram);
        const string question = "住民票はもらえますか";
        const string sentence = "窓口で受け取れます。";

        var withLemmas = fused.Search(question).Profile;
        var bigramsOnly = bigram.Search(question).Profile;

        Assert.Contains(withLemmas.Concepts, c => c.IsCoveredBy(withLemmas.TermSet(sentence)) && c.Alternatives.Any(a => a.Contains("~受け取る")));
        Assert.True(withLemmas.Coverage(sentence) > bigramsOnly.Coverage(sentence));
        Assert.Equal("certificate", fused.Search(question).Hits[0].PassageId);
    }

    [Fact]
    public void Hostile_and_huge_questions_return_normally_in_every_field_mode()
    {
        foreach (var fields in Enum.GetValues<SearchFields>())
        {
            using var index = Index(fields);
            foreach (var question in new[] { "\uD800\uDFFF\uDC00", "\0\0\0", "😀😀😀", "！？…★", new string('住', 10_000), string.Concat(Enumerable.Repeat("住民票はもらえますか", 3000)) })
            {
                var result = index.Search(question);
                Assert.True(result.Hits.Count <= 5);
            }

            Assert.Equal("certificate", index.Search(string.Concat(Enumerable.Repeat("住民票の写しを窓口で受け取る", 800))).Hits[0].PassageId);
        }
    }
}
