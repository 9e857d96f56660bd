namespace FrontDesk.Bot.Coordinators;

public sealed class ConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>The console's browser client (console/ with its npm packages), relative to the content root.</summary>
    public string ClientFolder { get; set; } = "../../console";

    /// <summary>
    /// Origins besides the host's own (scheme://host[:port] of the request) whose pages may open the console hub, e.g.
    /// "https://console.example.jp". A browser request from any other origin gets 403.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>The files the console pages load, by the name they are served under at /console/assets/.</summary>
    public static readonly IReadOnlyDictionary<string, string> Assets = new Dictionary<string, string>
    {
        ["signalr.min.js"] = "node_modules/@microsoft/signalr/dist/browser/signalr.min.js",
        ["console.js"] = "console.js",
    };
}
