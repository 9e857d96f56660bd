using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Knowledge.Rules;

/// <summary>
/// This host's copy of the newest accepted rule set in kb.rule_sets, polled like the search index. On a fresh database
/// it validates the rule folder once and stores it, so the first host does not wait for the refresh job.
/// </summary>
public sealed partial class RuleBookProvider(
    RuleStore store,
    IOptions<RulesOptions> options,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<RuleBookProvider> logger) : BackgroundService
{
    readonly SemaphoreSlim loading = new(1, 1);
    long loadedId;

    public RuleBook? Current { get; private set; }

    public async Task<RuleBook?> GetAsync(CancellationToken ct) => Current ?? await RefreshAsync(ct);

    /// <summary>Loads the newest stored set if it is not the one in use; returns the book in use afterwards.</summary>
    public async Task<RuleBook?> RefreshAsync(CancellationToken ct)
    {
        await loading.WaitAsync(ct);
        try
        {
            var latestId = await store.LatestIdAsync(ct);
            if (latestId == 0 && Current is null)
                await SeedAsync(ct);
            else if (latestId != loadedId && await store.LatestAsync(ct) is { } latest)
            {
                var result = RuleLoader.Load(latest.Files, Today());
                if (result.Book is { } book)
                {
                    Current = book;
                    loadedId = latest.Id;
                    LogLoaded(latest.Id, book.National.Count, book.Municipalities.Count);
                }
                else
                    LogStoredInvalid(latest.Id, result.Errors.Count);
            }
            return Current;
        }
        finally
        {
            loading.Release();
        }
    }

    async Task SeedAsync(CancellationToken ct)
    {
        var folder = options.Value.ResolveFolder(environment.ContentRootPath);
        if (folder is null)
            return;
        var result = RuleLoader.LoadFolder(folder, Today());
        if (result.Book is null)
        {
            LogSeedInvalid(result.Errors.Count);
            return;
        }
        await store.SaveAsync(result.Files, result.Book.Hash, ct);
        loadedId = await store.LatestIdAsync(ct);
        Current = result.Book;
    }

    DateOnly Today() => RuleEvaluator.TodayInTokyo(time.GetUtcNow());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Rule set {Id} in use: {National} national items, {Municipalities} municipalities")]
    partial void LogLoaded(long id, int national, int municipalities);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stored rule set {Id} does not validate ({Errors} errors); the rules in use stay")]
    partial void LogStoredInvalid(long id, int errors);

    [LoggerMessage(Level = LogLevel.Error, Message = "The rule folder does not validate ({Errors} errors); no rules until the refresh job accepts a set")]
    partial void LogSeedInvalid(int errors);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the rule set failed; the rules in use stay")]
    partial void LogRefreshFailed(Exception e);
}
