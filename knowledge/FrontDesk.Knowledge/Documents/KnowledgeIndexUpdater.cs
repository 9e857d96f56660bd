using FrontDesk.Knowledge.Evaluation;
using FrontDesk.Knowledge.Search;
using FrontDesk.Knowledge.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Knowledge.Documents;

/// <summary>
/// Keeps this host's search index in step with PostgreSQL: whenever <c>kb.content_version</c> moves, it builds a new
/// snapshot from the stored passages and swaps it in; queries keep running on the old snapshot meanwhile.
/// </summary>
public sealed partial class KnowledgeIndexUpdater(
    KnowledgeIndex index,
    DocumentStore store,
    SynonymSet synonyms,
    MeCabTagger mecab,
    IOptions<KnowledgeOptions> options,
    ILogger<KnowledgeIndexUpdater> logger) : BackgroundService
{
    readonly SemaphoreSlim building = new(1, 1);

    /// <summary>Rebuilds now if the stored version differs from the index's; returns the index version afterwards.</summary>
    public async Task<long> RefreshAsync(CancellationToken ct)
    {
        await building.WaitAsync(ct);
        try
        {
            if (await store.GetContentVersionAsync(ct) == index.Version)
                return index.Version;
            var (version, passages) = await store.LoadPassagesAsync(ct);
            var started = TimeProvider.System.GetTimestamp();
            index.Swap(IndexSnapshot.Build(passages, synonyms, version, fields: options.Value.Fields, mecab: mecab));
            LogSwapped(version, passages.Count, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
            return version;
        }
        finally
        {
            building.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.IndexPollInterval);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The old index keeps serving; the next tick tries again.
                LogRefreshFailed(e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The configured synonym file, or knowledge/content/synonyms.txt found upwards; none means no expansion.</summary>
    public static SynonymSet LoadSynonyms(string? configuredPath, string contentRoot)
    {
        var path = configuredPath is { Length: > 0 } ? Path.GetFullPath(configuredPath, contentRoot) : KnowledgeEvaluation.FindDefaultSynonyms();
        return path is not null && File.Exists(path) ? SynonymSet.Load(path) : SynonymSet.Empty;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index version {Version} swapped in: {Passages} passages in {Milliseconds:F0} ms")]
    partial void LogSwapped(long version, int passages, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rebuilding the search index failed; the previous index keeps serving")]
    partial void LogRefreshFailed(Exception e);
}
