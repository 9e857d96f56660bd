using FrontDesk.FakeLine;
using FrontDesk.Testing;
using FrontDesk.Testing.FakeLine;

namespace FrontDesk.Bot.Tests.Line;

/// <summary>A LINE user's follow-up question is answered in the context of the question before, through the fake platform.</summary>
public sealed class LineFollowUpTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_follow_up_on_LINE_is_answered_in_context_and_a_new_topic_fresh()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        await KnowledgeContent.LoadAsync(bot.App.Services, KnowledgeContent.ArticlesFolder);
        var user = LineEvents.NewUserId();

        async Task<string> AskAsync(string question)
        {
            var before = bot.Line.TextsTo(user).Count;
            await bot.SendAsync(bot.Events.Text(user, question));
            await Eventually.TrueAsync(() => bot.Line.TextsTo(user).Count > before,
                $"an answer to {question}");
            return string.Join('\n', bot.Line.TextsTo(user).Skip(before));
        }

        Assert.Contains("100万円", await AskAsync("移住支援金は世帯でいくら？"));
        var single = await AskAsync("それって単身だと？");
        Assert.Contains("60万円", single);
        Assert.Contains("出典", single);

        var school = await AskAsync("区域外就学の手続きはどこに届け出ますか");
        Assert.Contains("教育委員会", school);
        Assert.DoesNotContain("万円", school);
        Assert.Empty(bot.Line.InvalidCalls);
    }
}
