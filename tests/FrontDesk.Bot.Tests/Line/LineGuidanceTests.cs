using System.Text.Json.Nodes;
using FrontDesk.FakeLine;
using FrontDesk.Testing;
using FrontDesk.Testing.FakeLine;

namespace FrontDesk.Bot.Tests.Line;

/// <summary>The school guide on LINE end to end: tile, quick replies, 「わからない」, 「戻る」, the answer as a Flex carousel, the coordinator.</summary>
public sealed class LineGuidanceTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_parent_goes_through_the_school_guide_on_LINE_going_back_and_answering_not_sure()
    {
        await using var bot = await LineBot.StartAsync(db.ConnectionString);
        var user = LineEvents.NewUserId();

        async Task<IReadOnlyList<JsonObject>> SendAsync(JsonObject e, string expected)
        {
            var before = bot.Line.DeliveredTo(user).Count;
            await bot.SendAsync(e);
            await Eventually.TrueAsync(() => bot.Line.DeliveredTo(user).Skip(before).Any(m => FakeLinePlatform.ReadableText(m).Contains(expected, StringComparison.Ordinal)),
                $"expected a reply containing {expected}");
            return bot.Line.DeliveredTo(user).Skip(before).ToList();
        }

        static IEnumerable<string> QuickReplies(IEnumerable<JsonObject> messages) =>
            messages.SelectMany(m => m["quickReply"]?["items"]?.AsArray() ?? []).Select(i => i!["action"]!["data"]?.GetValue<string>() ?? "");

        var tile = await SendAsync(bot.Events.Postback(user, "c=topic&v=school"), "お子さんの学校や保育");
        Assert.Contains("c=flow&v=school-guide", QuickReplies(tile));

        var first = await SendAsync(bot.Events.Postback(user, "c=flow&v=school-guide"), "（1/7）");
        Assert.Contains("c=answer&v=unknown", QuickReplies(first));
        await SendAsync(bot.Events.Text(user, "小3"), "（2/7）");
        var third = await SendAsync(bot.Events.Postback(user, "c=answer&v=unknown"), "（3/7）");
        Assert.Contains("c=answer&v=_back", QuickReplies(third));
        await SendAsync(bot.Events.Postback(user, "c=answer&v=_back"), "（2/7）");
        await SendAsync(bot.Events.Postback(user, "c=answer&v=tokyo23"), "（3/7）");
        await SendAsync(bot.Events.Text(user, "札幌市"), "まだこの案内に登録されていません");
        await SendAsync(bot.Events.Text(user, "美波町"), "（4/7）");
        await SendAsync(bot.Events.Text(user, "わからない"), "（5/7）");
        await SendAsync(bot.Events.Postback(user, "c=answer&v=repeated"), "（6/7）");
        await SendAsync(bot.Events.Postback(user, "c=answer&v=yes"), "（7/7）");
        var summary = await SendAsync(bot.Events.Text(user, "二地域居住"), "この内容でよろしいですか");
        var summaryText = FakeLinePlatform.ReadableText(summary[^1]);
        Assert.Contains("・今のお住まい: 東京23区", summaryText);
        Assert.Contains("・滞在の長さ: わからない", summaryText);

        var answer = await SendAsync(bot.Events.Postback(user, "c=answer&v=_yes"), "最終的に判断します");
        var carousel = Assert.Single(answer, m => m["type"]!.GetValue<string>() == "flex");
        Assert.Equal("carousel", carousel["contents"]!["type"]!.GetValue<string>());
        var cards = FakeLinePlatform.ReadableText(carousel);
        Assert.Contains("区域外就学", cards);
        Assert.Contains("デュアルスクール（徳島県）", cards);
        Assert.Contains("当てはまりそう", cards);
        Assert.Contains("確認が必要", cards); // 体験入学: the length of stay is not known
        Assert.Contains("2024年4月1日時点", cards);
        Assert.Contains("c=guide-handoff&v=school", QuickReplies(answer));

        var handed = await SendAsync(bot.Events.Postback(user, "c=guide-handoff&v=school"), "相談員におつなぎします");
        Assert.NotEmpty(handed);
        Assert.Equal("requested", await db.ScalarAsync<string>("select state->'handoff'->>'reason' from conversation.conversations where key = @k", ("k", "line:" + user)));
        Assert.Contains("美波町", await db.ScalarAsync<string>("select (state->'handoff'->'attachments'->0)::text from conversation.conversations where key = @k", ("k", "line:" + user)));
        Assert.Empty(bot.Line.InvalidCalls);
    }
}
