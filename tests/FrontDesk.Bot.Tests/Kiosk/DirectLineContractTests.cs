using System.Diagnostics;
using System.Text.Json.Nodes;
using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Kiosk;

/// <summary>botframework-directlinejs itself (Node, from npm) against the real host: the client Web Chat runs on.</summary>
public sealed class DirectLineContractTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    KioskTestApp kiosk = null!;

    public async Task InitializeAsync() => kiosk = await KioskTestApp.StartAsync(db);
    public async Task DisposeAsync() => await kiosk.DisposeAsync();

    [Fact]
    public async Task The_Direct_Line_client_library_starts_posts_polls_streams_and_refreshes_and_is_refused_with_foreign_or_expired_tokens()
    {
        var client = Path.Combine(RepositoryRoot.Path, "tests", "FrontDesk.Bot.Tests", "Kiosk", "directline-client");
        Assert.True(Directory.Exists(Path.Combine(client, "node_modules", "botframework-directlinejs")),
            "run ./frontdesk test, which installs the Direct Line client (npm ci in " + client + ")");
        var (expiredFor, _) = await kiosk.GenerateAsync();
        var result = await RunNodeAsync(client, "contract.mjs", kiosk.BaseUrl, KioskTestApp.DeviceKey, kiosk.ExpiredToken(expiredFor));
        Assert.Null(result["error"]);

        var polling = result["polling"]!;
        Assert.True(polling["conversationMatches"]!.GetValue<bool>());
        Assert.Contains("こんにちは", polling["greeting"]!.GetValue<string>());
        Assert.Equal(polling["postedId"]!.GetValue<string>(), polling["echoId"]!.GetValue<string>());
        Assert.Equal("移住支援金は世帯でいくらもらえますか？", polling["echoText"]!.GetValue<string>());
        Assert.Equal("user", polling["echoRole"]!.GetValue<string>());
        Assert.Contains("万円", polling["replyText"]!.GetValue<string>());
        Assert.Equal("出典", polling["replyCardTitle"]!.GetValue<string>());
        Assert.Contains("空き家バンク", polling["topicReplyText"]!.GetValue<string>());
        Assert.Contains("Online", polling["statuses"]!.AsArray().Select(s => s!.GetValue<string>()));

        Assert.True(result["refresh"]!["changed"]!.GetValue<bool>());
        Assert.NotNull(result["refresh"]!["postAfterRefresh"]!["id"]);

        var ws = result["webSocket"]!;
        Assert.Contains("こんにちは", ws["greeting"]!.GetValue<string>());
        Assert.NotNull(ws["echoId"]);
        Assert.Contains("万円", ws["replyText"]!.GetValue<string>());
        Assert.True(ws["usedStream"]!.GetValue<bool>(), "activities came over the WebSocket, not by polling");

        var cross = result["crossConversation"]!;
        Assert.Equal(0, cross["activities"]!.GetValue<int>());
        Assert.Contains(403, cross["httpStatus"]!.AsArray().Select(s => s!.GetValue<int>()));
        Assert.DoesNotContain("Online", cross["statuses"]!.AsArray().Select(s => s!.GetValue<string>()));

        Assert.Equal(403, result["expired"]!["httpStatus"]!.GetValue<int>());
        Assert.Contains("FailedToConnect", result["expired"]!["statuses"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    static async Task<JsonObject> RunNodeAsync(string folder, string script, params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        var output = (await stdout).Trim().Split('\n').LastOrDefault() ?? "";
        Assert.True(output.StartsWith('{'), $"node printed no result. stderr: {await stderr}");
        return JsonNode.Parse(output)!.AsObject();
    }
}
