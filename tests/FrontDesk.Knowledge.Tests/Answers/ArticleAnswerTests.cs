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

    [Theory]
    [InlineData("移住支援金っていくら？")]
    [InlineData("移住支援金はいくらもらえますか？")]
    public void A_plain_amount_question_opens_with_the_main_amounts_not_an_add_on(string question)
    {
        var answer = Ask(question);
        Assert.False(answer.Declined, answer.Text);
        Assert.Equal("国の枠組みでの上限は次のとおりです。", answer.Sentences[0]);
        Assert.Contains("・世帯で移住する場合:100万円以内", answer.Sentences);
        Assert.Contains("・単身で移住する場合:60万円以内", answer.Sentences);
    }

    [Theory]
    [InlineData("起業したら支援ある？")]
    [InlineData("移住支援金の申請はいつまでに？")]
    public void A_pointer_to_another_article_or_a_note_on_what_an_article_covers_never_leads(string question)
    {
        var answer = Ask(question);
        Assert.False(answer.Declined, answer.Text);
        Assert.DoesNotContain("ご覧ください", answer.Sentences[0]);
        Assert.DoesNotContain("まとめ", answer.Sentences[0]);
    }

    [Theory]
    [InlineData("デュアルスクールの参加費はいくら？")]
    [InlineData("体験入学の費用はいくらかかりますか")]
    public void An_amount_the_articles_do_not_state_is_declined_not_answered_with_nearby_sentences(string question)
    {
        var answer = Ask(question);
        Assert.True(answer.Declined, answer.Text);
    }

    [Fact]
    public void A_count_asked_with_a_definition_like_wording_is_answered_with_the_count()
    {
        var answer = Ask("ワンストップ特例って何団体まで使える？");
        Assert.False(answer.Declined, answer.Text);
        Assert.Contains("5団体以内", answer.Text);
    }

    [Theory]
    [InlineData("おすすめの引っ越し業者を教えてください")]
    [InlineData("近くのスキー場で子ども向けはどこ？")]
    [InlineData("移住支援金っていくら？")]
    public void A_japanese_question_never_gets_only_english_sentences(string question)
    {
        var answer = Ask(question);
        Assert.True(answer.Declined || answer.Sentences.Any(s => TextLanguage.Detect(s) == TextLanguage.Japanese), answer.Text);
    }

    [Fact]
    public void An_english_amount_question_gets_the_grants_amounts_not_another_subsidy()
    {
        var answer = Ask("How much is the relocation support grant?");
        Assert.False(answer.Declined, answer.Text);
        Assert.Contains("1,000,000 yen", answer.Text);
        Assert.DoesNotContain("Fukushima", answer.Text);
    }

    [Fact]
    public void A_definition_is_given_once()
    {
        var answer = Ask("区域外就学とは何ですか");
        Assert.Single(answer.Sentences, s => s.StartsWith("区域外就学とは", StringComparison.Ordinal) || s.StartsWith("区域外就学は、", StringComparison.Ordinal));
    }

    [Fact]
    public void A_japanese_question_is_answered_with_japanese_sentences_not_the_english_summary()
    {
        var answer = Ask("二拠点居住の法律について教えて");
        Assert.False(answer.Declined, answer.Text);
        Assert.All(answer.Sentences, s => Assert.Equal(TextLanguage.Japanese, TextLanguage.Detect(s)));
        Assert.DoesNotContain(answer.Citations, c => c.Section == "English summary");
        Assert.Contains(answer.Citations, c => c.DocumentId.StartsWith("nichiiki-kyoju-hou", StringComparison.Ordinal));
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

    [Theory]
    [InlineData("移住支援金はいくらもらえますか？")]
    [InlineData("移住支援金っていくら？")]
    [InlineData("移住支援金の金額は？")]
    public void The_grant_amount_is_answered_however_it_is_asked(string question)
    {
        var answer = Ask(question);
        Assert.False(answer.Declined, $"{answer.Confidence:F2} {answer.Features}");
        Assert.Contains("100万円", answer.Text);
        Assert.DoesNotContain("起業支援金は最大200万円", answer.Text);
    }

    [Fact]
    public void The_current_child_add_on_comes_first_and_the_earlier_figure_only_after_it()
    {
        var answer = Ask("移住支援金の子育て加算はいくら？");
        Assert.False(answer.Declined, answer.Text);
        var current = answer.Text.IndexOf("子ども1人あたり最大100万円", StringComparison.Ordinal);
        Assert.True(current >= 0, answer.Text);
        var earlier = answer.Text.IndexOf("最大30万円でした", StringComparison.Ordinal);
        Assert.True(earlier < 0 || earlier > current, answer.Text);
    }

    [Theory]
    [InlineData("区域外就学とは何ですか", "区域外就学とは、住民票のある市町村とは別の市町村にある小中学校に、子どもが通えるようにする仕組みのことです。")]
    [InlineData("デュアルスクールって何ですか", "デュアルスクールとは、都市に住む小中学生が住民票を移さないまま、徳島県内の公立小中学校にも通って、2つの学校で学べるようにする仕組みのことです。")]
    public void A_definition_question_gets_the_defining_sentence(string question, string definition)
    {
        var answer = Ask(question);
        Assert.False(answer.Declined, answer.Text);
        Assert.Equal(definition, answer.Sentences[0]);
        Assert.DoesNotContain("特別交付税", answer.Text);
    }

    [Theory]
    [InlineData("移住支援金の申請はいつまでに？", "1年以内に申請")]
    [InlineData("ワンストップ特例の申請期限は？", "翌年の1月10日まで")]
    public void A_deadline_question_gets_the_period(string question, string period)
    {
        var answer = Ask(question);
        Assert.False(answer.Declined, $"{answer.Confidence:F2} {answer.Features}");
        Assert.Contains(period, answer.Text);
    }

    [Fact]
    public void A_casual_yes_no_question_names_the_programme_that_answers_it()
    {
        var answer = Ask("起業したら支援ある？");
        Assert.False(answer.Declined, answer.Text);
        Assert.Contains("起業支援金", answer.Text);
    }

    [Fact]
    public void Nested_conditions_keep_their_numbers_and_indentation()
    {
        var answer = Ask("移住支援金の東京23区とのつながりの要件は？");
        Assert.False(answer.Declined, answer.Text);
        var lines = answer.Sentences.ToList();
        var first = lines.FindIndex(l => l.StartsWith("1.移住する直前の10年間", StringComparison.Ordinal));
        Assert.True(first > 0, answer.Text);
        Assert.Contains("次の2つを両方とも満たす", lines[first - 1]);
        Assert.Equal("\u3000・東京23区に住んでいた", lines[first + 1]);
        Assert.StartsWith("\u3000・東京圏", lines[first + 2]);
        Assert.StartsWith("2.移住する直前の1年以上", lines[first + 3]);
        Assert.Contains("\n\u3000・東京23区に住んでいた\n", answer.Text);
    }

    [Fact]
    public void A_list_item_keeps_its_marker_and_its_lead_in()
    {
        var answer = Ask("移住支援金は世帯でいくらもらえますか");
        var lines = answer.Sentences.ToList();
        var item = lines.FindIndex(l => l.StartsWith("・世帯で移住する場合", StringComparison.Ordinal));
        Assert.True(item > 0, answer.Text);
        Assert.Equal("国の枠組みでの上限は次のとおりです。", lines[item - 1]);
    }

    [Theory]
    [InlineData("When did the amended dual residence law come into force?")]
    [InlineData("What is the akiya bank?")]
    [InlineData("What is a dual school?")]
    public void An_english_answer_never_repeats_a_sentence(string question)
    {
        var answer = Ask(question);
        Assert.False(answer.Declined, answer.Text);
        Assert.Equal("en", answer.Language);
        Assert.Equal(answer.Sentences.Count, answer.Sentences.Select(JapaneseText.Compact).Distinct().Count());
    }

    [Theory]
    [InlineData("今度の移住フェアの会場はどこ？")]
    [InlineData("厚沢部町の保育園留学、来月の空きはありますか")]
    [InlineData("長野県の移住支援金、今年度の受付締切はいつですか")]
    public void Questions_about_dates_places_and_availability_the_articles_do_not_hold_are_declined(string question)
    {
        var answer = Ask(question);
        Assert.True(answer.Declined, answer.Text);
        Assert.Contains("コーディネーター", answer.Text);
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
