using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Knowledge.Rules;

/// <summary>What a rule refresh did: "changed", "unchanged", or "failed" with the errors (file:line).</summary>
public sealed record RuleRefresh(string Outcome, IReadOnlyList<RuleError> Errors)
{
    public override string ToString() => Errors.Count == 0 ? Outcome : $"{Outcome} ({Errors.Count} errors)";
}

/// <summary>Validates the rule folder and stores it as the new set only when every file is valid; a broken file changes nothing.</summary>
public sealed partial class RuleRefresher(RuleStore store, IOptions<RulesOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<RuleRefresher> logger)
{
    public async Task<RuleRefresh> RefreshAsync(CancellationToken ct)
    {
        var folder = options.Value.ResolveFolder(environment.ContentRootPath);
        if (folder is null)
            return new RuleRefresh("failed", [new RuleError("(rules)", 0, "no rule folder configured (Rules:Folder) or found")]);
        var result = RuleLoader.LoadFolder(folder, RuleEvaluator.TodayInTokyo(time.GetUtcNow()));
        if (result.Book is null)
        {
            LogRejected(result.Errors.Count, string.Join("; ", result.Errors.Take(5)));
            return new RuleRefresh("failed", result.Errors);
        }
        var changed = await store.SaveAsync(result.Files, result.Book.Hash, ct);
        return new RuleRefresh(changed ? "changed" : "unchanged", []);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rule files rejected ({Count} errors), the last good rules stay: {Errors}")]
    partial void LogRejected(int count, string errors);
}
