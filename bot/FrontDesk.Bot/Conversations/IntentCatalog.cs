using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Conversations;

public sealed class IntentOptions
{
    public const string SectionName = "Intents";

    /// <summary>The phrase file, relative to the content root; when empty, knowledge/content/intents.txt is looked for upwards.</summary>
    public string? Path { get; set; }

    /// <summary>How often the file's modification time is checked.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The intent phrases staff edit in <c>intents.txt</c>. Read at start (an error there stops the host with file:line), then
/// again whenever the file changes; a changed file with an error is refused and the last good phrases stay in use.
/// </summary>
public sealed partial class IntentCatalog
{
    readonly string? path;
    readonly TimeSpan poll;
    readonly TimeProvider time;
    readonly ILogger<IntentCatalog> logger;
    readonly Lock gate = new();
    IntentPhrases current;
    (DateTime Write, long Length) loaded;
    DateTimeOffset checkedAt;

    public IntentCatalog(IOptions<IntentOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<IntentCatalog> logger)
    {
        this.time = time;
        this.logger = logger;
        poll = options.Value.PollInterval;
        path = options.Value.Path is { Length: > 0 } configured ? System.IO.Path.GetFullPath(configured, environment.ContentRootPath) : null;
        if (path is null || !File.Exists(path))
            path = FindDefault(environment.ContentRootPath) ?? path;
        if (path is null || !File.Exists(path))
        {
            LogMissing(path ?? "knowledge/content/intents.txt");
            current = IntentPhrases.Empty;
            return;
        }
        loaded = Stamp(path);
        current = IntentPhrases.Load(path);
        checkedAt = time.GetUtcNow();
    }

    public IntentPhrases Current
    {
        get
        {
            if (path is not null && time.GetUtcNow() - checkedAt >= poll)
                Reload();
            return current;
        }
    }

    public Intent? Match(string? message) => Current.Match(message);

    void Reload()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (now - checkedAt < poll)
                return;
            checkedAt = now;
            try
            {
                var stamp = Stamp(path!);
                if (stamp == loaded)
                    return;
                loaded = stamp;
                current = IntentPhrases.Load(path!);
                LogReloaded(path!);
            }
            catch (IntentFileException e)
            {
                LogRefused(e.Path, e.Line, e.Message);
            }
            catch (IOException e)
            {
                LogUnreadable(path!, e.Message);
            }
        }
    }

    static (DateTime, long) Stamp(string file)
    {
        var info = new FileInfo(file);
        return (info.LastWriteTimeUtc, info.Length);
    }

    static string? FindDefault(string contentRoot)
    {
        foreach (var start in new[] { contentRoot, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "knowledge", "content", "intents.txt");
                if (File.Exists(candidate))
                    return candidate;
            }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Intent phrases reloaded from {Path}")]
    partial void LogReloaded(string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Intent phrases in {Path} refused at line {Line}, the last good ones stay in use: {Problem}")]
    partial void LogRefused(string path, int line, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Intent phrases in {Path} could not be read, the last good ones stay in use: {Problem}")]
    partial void LogUnreadable(string path, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No intent phrase file at {Path}: greetings, thanks and requests for a person are not recognised")]
    partial void LogMissing(string path);
}
