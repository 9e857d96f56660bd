using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FrontDesk.Bot.Line;

/// <summary>Forgets webhook event ids older than the redelivery window (Line:InboxRetentionDays).</summary>
public sealed partial class LineInboxRetentionJob(NpgsqlDataSource db, TimeProvider time, IOptions<LineOptions> options, ILogger<LineInboxRetentionJob> logger)
{
    public const string JobId = "line-inbox-retention";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("delete from line.inbox where received_at < $1");
        cmd.Parameters.Add(new() { Value = time.GetUtcNow().AddDays(-options.Value.InboxRetentionDays) });
        var deleted = await cmd.ExecuteNonQueryAsync(ct);
        LogDeleted(deleted, options.Value.InboxRetentionDays);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "LINE inbox retention removed {Count} event ids older than {Days} days")]
    partial void LogDeleted(int count, int days);
}
