using FrontDesk.Bot.Conversations;
using FrontDesk.Knowledge.Answers;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Flows;

/// <summary>What a person reads under an answer: the sentences as the composer made them, and sources by title, section and date.</summary>
public sealed class AnswerSourcesTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    BotHost host = null!;

    static string SeedsFolder => Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "seeds"));

    public async Task InitializeAsync()
    {
        host = await BotHost.StartAsync(db.ConnectionString);
        await KnowledgeContent.LoadAsync(host.Services, KnowledgeContent.ArticlesFolder);
        await KnowledgeContent.LoadAsync(host.Services, SeedsFolder, "seeds");
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    async Task<Activity> AskAsync(string question)
    {
        var user = "s-" + Guid.NewGuid().ToString("N")[..6];
        await host.SayAsync(user, question);
        return host.Sender.RepliesTo(user)[^1];
    }

    [Fact]
    public async Task The_answer_text_is_the_composed_sentences_one_per_line()
    {
        const string question = "移住支援金は世帯でいくらもらえますか？";
        var expected = host.Services.GetRequiredService<QuestionAnswering>().Ask(question);
        var reply = await AskAsync(question);
        Assert.Equal(string.Join('\n', expected.Sentences), reply.Text);
    }

    [Fact]
    public async Task A_source_without_a_public_address_shows_no_link_no_path_and_no_file_name()
    {
        var reply = await AskAsync("二拠点居住者向けのサービスの財源、知事会はどう確保しろって言ってる？");
        var card = Assert.Single(reply.Cards);
        // Answered from the governors' requests: the seed itself or the article built on it, neither with a public address.
        Assert.Matches(@"^・(二拠点居住等の推進について|二地域居住の課題と、国への要望・提言)", card.Text);
        Assert.Empty(card.Buttons);
        foreach (var shown in new[] { reply.Text!, card.Text! })
        {
            Assert.DoesNotContain("/", shown);
            Assert.DoesNotContain(".txt", shown);
            Assert.DoesNotContain("801d2ea3", shown);
        }
    }

    [Fact]
    public async Task An_article_source_names_title_section_and_date_and_links_its_public_page()
    {
        var reply = await AskAsync("区域外就学の手続きはどこに届け出ますか");
        var card = Assert.Single(reply.Cards);
        Assert.Matches(@"・区域外就学[^\n]*「[^」]+」（\d{4}年\d{1,2}月\d{1,2}日時点）", card.Text);
        Assert.DoesNotContain(".md", card.Text);
        var link = Assert.Single(card.Buttons);
        Assert.StartsWith("https://", link.Value);
        Assert.DoesNotContain(".xml", link.Value);
    }
}
