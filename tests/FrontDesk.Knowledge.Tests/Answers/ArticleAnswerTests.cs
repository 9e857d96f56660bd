using FrontDesk.Knowledge.Answers;
using FrontDesk.Knowledge.Search;
using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Tests.Answers;

public sealed class ArticleAnswerTests(ArticleIndexFixture articles) : IClassFixture<ArticleIndexFixture>
{
    private readonly AnswerComposer composer = new();

    private Answer Ask(string question) => composer.Compose(question, articles.Snapshot.Search(question, 5));

    [Theory]
    [InlineData("秋田県の移住支援金の申請締切はいつですか")]
    [InlineData("高知県で独自に上乗せされる金額はいくらですか")]
    public void A_question_about_a_prefecture_the_articles_never_name_is_declined(string question)
    {
        var answer = Ask(question);
        Assert.True(answer.Declined, answer.Text);
    }

    [Fact]
    public void A_japanese_question_is_answered_with_japanese_sentences_not_the_english_summary()
    {
        var answer = Ask("二拠点居住の法律について教えて");
        Assert.False(answer.Declined, answer.Text);
        Assert.All(answer.Sentences, s => Assert.Equal(TextLanguage.Japanese, TextLanguage.Detect(s)));
        Assert.DoesNotContain(answer.Citations, c => c.Section == "English summary");
        Assert.Contains("広域的地域活性化のための基盤整備に関する法律", answer.Text);
    }

    [Fact]
    public void An_english_question_prefers_the_english_summary_and_says_nothing_about_japanese()
    {
        var answer = Ask("When did the amended dual residence law come into force?");
        Assert.False(answer.Declined, answer.Text);
        Assert.Equal("en", answer.Language);
        Assert.All(answer.Sentences, s => Assert.Equal(TextLanguage.English, TextLanguage.Detect(s)));
        Assert.DoesNotContain("(in Japanese)", answer.Text);
        Assert.Contains("2024-11-01", answer.Text);
    }

    [Fact]
    public void A_qualifier_in_the_question_steers_to_the_sentence_about_that_case()
    {
        var answer = Ask("移住支援金は世帯でいくらもらえますか");
        Assert.False(answer.Declined, answer.Text);
        Assert.Contains("世帯で移住する場合:100万円以内", JapaneseText.Compact(answer.Text));
        Assert.DoesNotContain("子ども1人あたり", answer.Text);
    }

    [Fact]
    public void A_list_item_under_a_heading_answers_on_its_own_with_its_lead_in()
    {
        var answer = Ask("区域外就学の手続きはどこに届け出ますか");
        Assert.False(answer.Declined, answer.Text);
        Assert.Contains("住所のある市町村の教育委員会に届け出", answer.Text);
    }

    [Fact]
    public void A_heading_inside_a_passage_is_the_section_cited_not_a_sentence_of_the_answer()
    {
        var answer = Ask("子どもと一緒に移住すると移住支援金は増えますか");
        Assert.False(answer.Declined, answer.Text);
        Assert.Contains("1人あたり最大100万円", answer.Text);
        Assert.Contains(answer.Citations, c => c.Section == "子育て加算");
        Assert.DoesNotContain(answer.Sentences, s => s.Trim() == "子育て加算");
    }

    [Fact]
    public void Contrast_lines_name_the_case_asked_and_its_siblings()
    {
        var set = SynonymSet.Parse(["世帯 | 単身 | 子ども", "移住 = relocation"]);
        Assert.Equal(1, set.GroupCount);
        Assert.Equal(1, set.ContrastCount);

        var asked = Assert.Single(set.Qualifiers(TextAnalysis.Tokenize("世帯でいくら").Select(t => t.Term).ToList()));
        Assert.True(asked.OtherNamedIn(TextAnalysis.Tokenize("子ども1人あたり").Select(t => t.Term).ToHashSet()));
        Assert.False(asked.OtherNamedIn(TextAnalysis.Tokenize("世帯で移住する場合").Select(t => t.Term).ToHashSet()));

        // Naming two cases singles out neither.
        Assert.Empty(set.Qualifiers(TextAnalysis.Tokenize("世帯と単身の違い").Select(t => t.Term).ToList()));
    }
}
