using FrontDesk.Knowledge.Answers;
using FrontDesk.Knowledge.Search;
using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Tests.Search;

public sealed class KanaSpellingsTests(ArticleIndexFixture articles) : IClassFixture<ArticleIndexFixture>
{
    [Theory]
    [InlineData("いじゅうしえんきん いくら", "移住支援金 いくら")]
    [InlineData("イジュウシエンキンって何?", "移住支援金って何?")]
    [InlineData("くいきがいしゅうがくの手続き", "区域外就学の手続き")]
    [InlineData("イジュウシエンキンっていくら?", "移住支援金っていくら?")]
    public void A_word_spelt_in_kana_is_searched_as_the_articles_write_it(string question, string searched)
    {
        Assert.Equal(searched, articles.Snapshot.Respell(question));
    }

    [Theory]
    [InlineData("申請しないといけないの?")]
    [InlineData("デュアルスクールを使うとき")]
    [InlineData("ありがとうございます")]
    public void Inflections_and_words_the_articles_write_in_kana_are_left_alone(string question)
    {
        Assert.Equal(JapaneseText.Normalize(question), articles.Snapshot.Respell(question));
    }

    [Fact]
    public void A_grant_asked_for_in_katakana_is_answered_with_its_amounts()
    {
        var question = "イジュウシエンキンっていくら?";
        var answer = new AnswerComposer().Compose(question, articles.Snapshot.Search(question, 5));
        Assert.False(answer.Declined, answer.Text);
        Assert.Contains("100万円以内", answer.Text);
    }

    [Theory]
    [InlineData(10_000, "いじゅうしえんきん")]
    [InlineData(3_000, "イジュウシエンキン\uD800")]
    [InlineData(5_000, "\0ー")]
    public void Long_or_broken_kana_input_is_searched_without_failing(int repeat, string piece)
    {
        var question = string.Concat(Enumerable.Repeat(piece, repeat / piece.Length + 1));
        var result = articles.Snapshot.Search(question, 5);
        Assert.True(result.Question.Length <= question.Length);
        Assert.DoesNotContain('\uD800', result.Question);
    }

    [Fact]
    public void Nothing_is_respelt_without_morphological_analysis()
    {
        var collector = new KanaSpellings.Collector();
        Assert.Equal("いじゅうしえんきん", collector.Build().Respell("いじゅうしえんきん"));
        Assert.Equal("いじゅうしえんきん", KanaSpellings.Empty.Respell("いじゅうしえんきん"));
    }
}
