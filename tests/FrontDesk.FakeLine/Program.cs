using System.Runtime.InteropServices;

namespace FrontDesk.FakeLine;

/// <summary>Standalone fake LINE platform for './frontdesk up --fake-line': serves the chat page and the Messaging API.</summary>
static class FakeLineProgram
{
    static async Task<int> Main()
    {
        var urls = Environment.GetEnvironmentVariable("FAKE_LINE_URLS") ?? "http://127.0.0.1:5081";
        var webhook = Environment.GetEnvironmentVariable("FAKE_LINE_WEBHOOK") ?? "http://127.0.0.1:5080/line/webhook";
        var settings = new FakeLineSettings { Urls = urls, WebhookUrl = new Uri(webhook), ChatPage = true };
        if (Environment.GetEnvironmentVariable("FAKE_LINE_CHANNEL_SECRET") is { Length: > 0 } secret)
            settings.ChannelSecret = secret;
        if (Environment.GetEnvironmentVariable("FAKE_LINE_CHANNEL_ACCESS_TOKEN") is { Length: > 0 } token)
            settings.ChannelAccessToken = token;

        await using var platform = await FakeLinePlatform.StartAsync(settings);
        Console.WriteLine($"Fake LINE platform on {platform.BaseUrl} (webhooks go to {webhook})");
        var stop = new TaskCompletionSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
        var invalid = platform.InvalidCalls;
        Console.WriteLine($"Fake LINE platform: {platform.Calls.Count} API calls, {invalid.Count} invalid");
        foreach (var call in invalid.Take(10))
            Console.WriteLine($"  {call.Method} {call.Path}: {string.Join("; ", call.Errors)}");
        return invalid.Count == 0 ? 0 : 1;
    }
}
