using FrontDesk.Knowledge.Answers;
using FrontDesk.Knowledge.Evaluation;

namespace FrontDesk.Knowledge.Tests.Answers;

public sealed class FollowUpTests(ArticleIndexFixture articles) : IClassFixture<ArticleIndexFixture>
{
    private static readonly FollowUpContext GrantForHousehold = new("移住支援金は世帯でいくらもらえますか？", "ijushienkin.md", 1);

    private readonly AnswerComposer composer = new();

    private Answer Ask(FollowUpReading reading) => composer.Compose(reading.SearchText, articles.Snapshot.Search(reading.SearchText, 5));

    [Theory]
    [InlineData("それっていくら？")]
    [InlineData("条件は？")]
    [InlineData("子どもがいる場合は？")]
    [InlineData("いつまで？")]
    [InlineData("それって単身だと？")]
    [InlineData("申請の期限は？")]
    public void An_elliptical_question_is_read_with_the_previous_topic(string question)
    {
        var reading = FollowUps.Read(question, GrantForHousehold, articles.Snapshot);
        Assert.True(reading.IsFollowUp, question);
        Assert.Contains("移住支援金", reading.SearchText);
        Assert.Equal("ijushienkin.md", reading.PreviousDocument);
    }

    [Theory]
    [InlineData("how much is it?")]
    [InlineData("And for a single person?")]
    public void An_elliptical_english_question_is_read_with_the_previous_topic(string question)
    {
        var previous = new FollowUpContext("How much is the relocation support grant for a household?", "ijushienkin.md", 1);
        var reading = FollowUps.Read(question, previous, articles.Snapshot);
        Assert.True(reading.IsFollowUp, question);
        Assert.Contains("relocation support grant", reading.SearchText);
    }

    [Theory]
    [InlineData("空き家バンクってどんな仕組み？")]
    [InlineData("区域外就学の手続きはどこに届け出ますか")]
    [InlineData("ふるさと納税のワンストップ特例とは？")]
    [InlineData("What is a dual school?")]
    [InlineData("ありがとうございます")]
    public void A_question_with_a_topic_of_its_own_starts_fresh(string question)
    {
        var reading = FollowUps.Read(question, GrantForHousehold, articles.Snapshot);
        Assert.False(reading.IsFollowUp, reading.SearchText);
        Assert.Equal(question, reading.SearchText);
    }

    [Fact]
    public void The_previous_topic_lasts_two_turns_and_the_third_starts_fresh()
    {
        var first = FollowUps.Read("それって単身だと？", GrantForHousehold, articles.Snapshot);
        Assert.True(first.IsFollowUp);
        var second = FollowUps.Read("条件は？", first.Next("ijushienkin.md"), articles.Snapshot);
        Assert.True(second.IsFollowUp);
        Assert.Contains("移住支援金", second.SearchText);
        Assert.Equal(2, second.TopicAge);

        var third = FollowUps.Read("いつまで？", second.Next("ijushienkin.md"), articles.Snapshot);
        Assert.False(third.IsFollowUp);
        Assert.Equal("いつまで？", third.SearchText);
    }

    [Fact]
    public void Without_a_previous_question_nothing_is_added()
    {
        var reading = FollowUps.Read("それっていくら？", null, articles.Snapshot);
        Assert.False(reading.IsFollowUp);
        Assert.Equal("それっていくら？", reading.SearchText);
    }

    [Fact]
    public void A_case_named_in_the_follow_up_replaces_the_case_asked_before()
    {
        var reading = FollowUps.Read("それって単身だと？", GrantForHousehold, articles.Snapshot);
        Assert.Contains("単身", reading.SearchText);
        Assert.DoesNotContain("世帯", reading.SearchText);
        Assert.Contains("いくら", reading.SearchText);
    }

    [Fact]
    public void A_follow_up_about_a_single_person_is_answered_with_the_single_amount()
    {
        var answer = Ask(FollowUps.Read("それって単身だと？", GrantForHousehold, articles.Snapshot));
        Assert.False(answer.Declined, answer.Text);
        Assert.Contains("60万円", answer.Text);
    }

    [Fact]
    public void A_bare_amount_question_after_the_grant_is_answered_with_an_amount()
    {
        var previous = new FollowUpContext("移住支援金について教えて", "ijushienkin.md", 1);
        var answer = Ask(FollowUps.Read("それっていくら？", previous, articles.Snapshot));
        Assert.False(answer.Declined, answer.Text);
        Assert.Contains("万円", answer.Text);
    }

    [Fact]
    public void The_evaluation_asks_a_question_with_after_in_one_conversation_after_the_one_it_names()
    {
        EvalQuestion[] questions =
        [
            new("f1", "移住支援金は世帯でいくらもらえますか？", "ijushienkin.md", ["100万円以内"], "figure"),
            new("f2", "それって単身だと？", "ijushienkin.md", ["60万円以内"], "figure", After: "f1"),
            new("f3", "空き家バンクってどんな仕組み？", "akiya-bank.md", [], "definition", After: "f2"),
        ];
        var report = KnowledgeEvaluation.Evaluate(articles.Snapshot, composer, questions);
        Assert.Contains("移住支援金", report.Questions[1].SearchText);
        Assert.True(report.Questions[1].AnswerContains, report.Questions[1].Answer);
        Assert.Equal("空き家バンクってどんな仕組み？", report.Questions[2].SearchText);
        Assert.Equal(1.0, report.RecallAt3);
    }
}
