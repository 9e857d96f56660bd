using FrontDesk.Bot.Conversations;
using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Flows;

/// <summary>Follow-up questions through the engine: an elliptical question is answered in the previous question's context.</summary>
public sealed class FollowUpQuestionTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    BotHost host = null!;

    public async Task InitializeAsync()
    {
        host = await BotHost.StartAsync(db.ConnectionString);
        await KnowledgeContent.LoadAsync(host.Services, KnowledgeContent.ArticlesFolder);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    async Task<Activity> AskAsync(string user, string question)
    {
        await host.SayAsync(user, question);
        return host.Sender.RepliesTo(user)[^1];
    }

    static string User() => "f-" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task An_elliptical_follow_up_is_answered_in_context_and_a_new_topic_fresh()
    {
        var user = User();
        Assert.Contains("100万円", (await AskAsync(user, "移住支援金は世帯でいくらもらえますか？")).Text);

        var single = await AskAsync(user, "それって単身だと？");
        Assert.Contains("60万円", single.Text);
        Assert.Contains("移住支援金", Assert.Single(single.Cards).Text);

        var akiya = await AskAsync(user, "空き家バンクってどんな仕組み？");
        Assert.Contains("空き家", akiya.Text);
        Assert.DoesNotContain("移住支援金", Assert.Single(akiya.Cards).Text);
    }

    [Fact]
    public async Task A_bare_amount_question_after_the_grant_names_an_amount()
    {
        var user = User();
        await AskAsync(user, "移住支援金について教えてください");
        var reply = await AskAsync(user, "それっていくら？");
        Assert.Contains("万円", reply.Text);
        Assert.DoesNotContain("分かりません", reply.Text);
    }

    [Fact]
    public async Task The_context_lasts_two_turns()
    {
        var user = User();
        await AskAsync(user, "移住支援金は世帯でいくらもらえますか？");
        Assert.Contains("60万円", (await AskAsync(user, "単身だと？")).Text);
        await AskAsync(user, "条件は？");
        Assert.Contains("移住支援金", await LastSearchedAsync(user));
        await AskAsync(user, "子どもがいる場合は？");
        Assert.Equal("子どもがいる場合は？", await LastSearchedAsync(user));
    }

    Task<string?> LastSearchedAsync(string user) =>
        db.ScalarAsync<string>("select state->'lastQuestion'->>'text' from conversation.conversations where key = @k", ("k", "test:" + user));

    [Fact]
    public async Task An_english_follow_up_is_answered_in_context()
    {
        var user = User();
        await AskAsync(user, "How much is the relocation support grant for a household?");
        var reply = await AskAsync(user, "And for a single person?");
        Assert.Contains("600,000", reply.Text);
    }

    [Fact]
    public async Task A_long_question_with_an_emoji_at_the_remembered_bound_is_answered_and_remembered()
    {
        var user = User();
        // The remembered question is cut at 300 characters: an emoji across the cut must not leave half of it behind.
        var question = "移住支援金について" + new string('あ', 290) + "😀😀 いくらですか";
        var reply = await AskAsync(user, question);
        Assert.False(string.IsNullOrWhiteSpace(reply.Text));
        var next = await AskAsync(user, "それって単身だと？");
        Assert.False(string.IsNullOrWhiteSpace(next.Text));
        Assert.DoesNotContain("処理中に問題が起きました", reply.Text + next.Text);
    }
}
