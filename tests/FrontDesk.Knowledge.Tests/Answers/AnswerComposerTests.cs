using FrontDesk.Knowledge.Answers;
using FrontDesk.Knowledge.Evaluation;
using FrontDesk.Knowledge.Ingestion;
using FrontDesk.Knowledge.Search;

namespace FrontDesk.Knowledge.Tests.Answers;

public sealed class AnswerComposerTests(SeedIndexFixture seeds) : IClassFixture<SeedIndexFixture>
{
    private readonly AnswerComposer composer = new();

    private Answer Ask(string question) => composer.Compose(question, seeds.Snapshot.Search(question, 5));

    [Fact]
    public async Task Every_answered_dev_question_cites_its_source()
    {
        var questions = await KnowledgeEvaluation.LoadQuestionsAsync(Corpus.DevQuestions, CancellationToken.None);
        var answered = 0;
        foreach (var question in questions)
        {
            var answer = Ask(question.Question);
            if (answer.Declined)
            {
                Assert.Empty(answer.Citations);
                continue;
            }

            answered++;
            Assert.NotEmpty(answer.Citations);
            Assert.All(answer.Citations, c => Assert.False(string.IsNullOrWhiteSpace(c.Title)));
            Assert.All(answer.Citations, c => Assert.False(string.IsNullOrWhiteSpace(c.Source)));
            Assert.Contains(answer.Language == "en" ? "Source:" : "出典:", answer.Text);
            Assert.InRange(answer.Sentences.Count, 1, 16);
            Assert.All(answer.Sentences, s => Assert.DoesNotContain("\n", s));
        }

        Assert.True(answered > questions.Count / 2);
    }

    [Theory]
    [InlineData("明日の東京の天気は晴れますか？")]
    [InlineData("肉じゃがの美味しい作り方を教えてください")]
    [InlineData("大谷翔平の今シーズンのホームラン数は？")]
    public void Out_of_scope_questions_are_declined_with_an_offer_of_a_coordinator(string question)
    {
        var answer = Ask(question);
        Assert.True(answer.Declined, $"answered with confidence {answer.Confidence:F2}: {answer.Text}");
        Assert.Contains("コーディネーター", answer.Text);
        Assert.Contains("ます", answer.Text);
    }

    [Fact]
    public void An_english_out_of_scope_question_is_declined_in_english()
    {
        var answer = Ask("What is the weather forecast for Osaka tomorrow?");
        Assert.True(answer.Declined);
        Assert.Equal("en", answer.Language);
        Assert.Contains("coordinator", answer.Text);
    }

    [Theory]
    [InlineData("空き家バンクはありますか", "ja")]
    [InlineData("Is there an akiya bank?", "en")]
    [InlineData("What does the 地域活性化起業人 programme offer?", "en")]
    [InlineData("😀", "ja")]
    public void The_reply_language_follows_the_question(string question, string language) =>
        Assert.Equal(language, AnswerComposer.DetectLanguage(question));

    [Fact]
    public void Figures_are_quoted_exactly_as_in_the_source()
    {
        var answer = Ask("移住して生活満足度が上がった割合は？");
        Assert.False(answer.Declined);
        Assert.Contains("約7割", answer.Text);
        Assert.True(answer.Text.Length < 600);
    }

    [Fact]
    public void Confidence_is_between_zero_and_one()
    {
        foreach (var q in new[] { "空き家バンク", "天気", "", "😀", new string('a', 10_000) })
        {
            Assert.InRange(Ask(q).Confidence, 0, 1);
        }
    }

    [Theory]
    [MemberData(nameof(IndexSnapshotHostile))]
    public void Hostile_questions_get_a_normal_reply(string question)
    {
        var answer = Ask(question);
        Assert.False(string.IsNullOrWhiteSpace(answer.Text));
    }

    public static TheoryData<string> IndexSnapshotHostile => Tests.Search.IndexSnapshotTests.HostileQueries;

    [Fact]
    public void A_question_for_a_number_gets_the_number()
    {
        var answer = Ask("基幹系の業務システムの標準化、対象は何業務？");
        Assert.False(answer.Declined, $"{answer.Confidence:F2} {answer.Features}");
        Assert.Contains("17業務", answer.Text);
    }

    [Theory]
    [InlineData("官民連携プラットフォームの専門部会の5つのテーマは？")]
    [InlineData("どんな専門部会がある？")]
    public void A_question_for_a_list_gets_the_items_not_only_the_sentence_announcing_them(string question)
    {
        var answer = Ask(question);
        Assert.False(answer.Declined, $"{answer.Confidence:F2} {answer.Features}");
        foreach (var theme in new[] { "「負担軽減」", "「登録・地域関与」", "「担い手・人材」", "「教育」", "「保育」" })
        {
            Assert.Contains(theme, answer.Text);
        }
    }

    [Fact]
    public void An_english_question_over_japanese_seeds_is_answered_with_the_japanese_sentences()
    {
        var answer = Ask("What does the governors' association ask the national government about vacant houses for dual residence?");
        Assert.False(answer.Declined, $"{answer.Confidence:F2} {answer.Features}");
        Assert.Equal("en", answer.Language);
        Assert.StartsWith("Here is what the source says (in Japanese):", answer.Text);
        Assert.Contains("空き家バンクの利便性向上", answer.Text);
        Assert.Equal(answer.Sentences.Count, answer.Sentences.Distinct().Count());
    }

    [Fact]
    public void A_question_answered_by_the_top_passage_is_not_declined()
    {
        var answer = Ask("ソーシャル・キャピタルとは何ですか");
        Assert.False(answer.Declined, $"{answer.Confidence:F2} {answer.Features}");
        Assert.Contains("社会関係資本", answer.Text);
    }

    [Theory]
    [InlineData("次の移住フェアはいつ、どこで開催されますか？")]
    [InlineData("今度の二地域居住のセミナーの会場はどこ？")]
    public void A_question_about_an_upcoming_event_the_seeds_do_not_hold_is_declined(string question)
    {
        var answer = Ask(question);
        Assert.True(answer.Declined, answer.Text);
        Assert.Contains("コーディネーター", answer.Text);
        Assert.Empty(answer.Citations);
    }

    [Fact]
    public void Declining_depends_on_the_threshold()
    {
        var result = seeds.Snapshot.Search("空き家バンクの運営費は特別交付税の対象ですか", 5);
        Assert.False(new AnswerComposer(new AnswerOptions { DeclineThreshold = 0 }).Compose("q", result).Declined);
        Assert.True(new AnswerComposer(new AnswerOptions { DeclineThreshold = 1.01 }).Compose("q", result).Declined);
    }

    [Fact]
    public void A_question_for_a_figure_is_declined_when_no_passage_has_one()
    {
        var withoutPrice = new Passage("p#0", "a.md", "空き家バンク", ["登録"], "空き家バンクには誰でも物件を登録できます。", 0, 20, new DocumentMetadata());
        var withPrice = withoutPrice with { Id = "p#1", Text = "空き家バンクへの物件の登録料は1,000円です。" };
        const string question = "空き家バンクの登録料はいくら？";

        using var without = IndexSnapshot.Build([withoutPrice], SynonymSet.Empty, 1);
        using var with = IndexSnapshot.Build([withPrice], SynonymSet.Empty, 1);

        Assert.True(composer.Compose(question, without.Search(question)).Declined);
        var answer = composer.Compose(question, with.Search(question));
        Assert.False(answer.Declined);
        Assert.Contains("1,000円", answer.Text);
    }

    [Fact]
    public void Citations_name_title_section_date_and_link()
    {
        var passage = new Passage("p#0", "guide.md", "移住ガイド", ["支援", "住まい"], "空き家バンクの登録は無料です。", 0, 15,
            new DocumentMetadata("https://example.org/guide", "移住センター", new DateOnly(2026, 4, 1), 2026));
        using var index = IndexSnapshot.Build([passage], SynonymSet.Empty, 1);
        var answer = new AnswerComposer(new AnswerOptions { DeclineThreshold = 0.1 }).Compose("空き家バンクの登録は無料？", index.Search("空き家バンクの登録は無料？"));

        Assert.False(answer.Declined);
        Assert.Contains("空き家バンクの登録は無料です。", answer.Text);
        Assert.Contains("移住ガイド", answer.Text);
        Assert.Contains("住まい", answer.Text);
        Assert.Contains("2026年4月1日時点", answer.Text);
        Assert.Contains("https://example.org/guide", answer.Text);
        Assert.Equal("住まい", answer.Citations.Single().Section);
    }
}
