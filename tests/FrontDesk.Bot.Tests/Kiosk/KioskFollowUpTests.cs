using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Kiosk;

/// <summary>A kiosk visitor's follow-up question over Direct Line is answered in the context of the question before.</summary>
public sealed class KioskFollowUpTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    KioskTestApp kiosk = null!;

    public async Task InitializeAsync() => kiosk = await KioskTestApp.StartAsync(db);
    public async Task DisposeAsync() => await kiosk.DisposeAsync();

    async Task<string> AskAsync(string id, string token, string question)
    {
        using var posted = await kiosk.SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token,
            new JsonObject { ["type"] = "message", ["from"] = new JsonObject { ["id"] = "dl_visitor", ["role"] = "user" }, ["text"] = question, ["locale"] = "ja-JP" }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var postedId = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var answer = await kiosk.WaitForBotAsync(id, token, a => a["replyToId"]?.GetValue<string>() == postedId);
        var card = answer["attachments"]?.AsArray().Select(a => a!["content"]?["text"]?.GetValue<string>()).FirstOrDefault();
        return answer["text"]!.GetValue<string>() + "\n" + card;
    }

    [Fact]
    public async Task A_follow_up_at_the_kiosk_is_answered_in_context_and_a_new_topic_fresh()
    {
        var (id, token) = await kiosk.StartAsync();
        Assert.Contains("100万円", await AskAsync(id, token, "移住支援金は世帯でいくら？"));
        var single = await AskAsync(id, token, "それって単身だと？");
        Assert.Contains("60万円", single);
        Assert.Contains("移住支援金", single);

        var akiya = await AskAsync(id, token, "空き家バンクってどんな仕組み？");
        Assert.Contains("空き家", akiya);
        Assert.DoesNotContain("60万円", akiya);
    }
}
