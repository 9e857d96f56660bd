using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FrontDesk.Bot.Conversations;

/// <summary>Deletes transcript rows (and activities and replies that failed for good) older than the retention period, in small batches.</summary>
public sealed partial class TranscriptRetentionJob(NpgsqlDataSource db, TimeProvider time, IOptions<ConversationOptions> options, ILogger<TranscriptRetentionJob> logger)
{
    public const string JobId = "conversation-transcript-retention";
    const int BatchSize = 5000;

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<long> RunAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().AddDays(-options.Value.TranscriptRetentionDays);
        long deleted = 0;
        while (true)
        {
            await using var cmd = db.CreateCommand("""
                with old as (
                    select id from conversation.transcript where created_at < @cutoff order by id limit @batch)
                delete from conversation.transcript t using old where t.id = old.id
                """);
            cmd.Parameters.AddWithValue("cutoff", cutoff);
            cmd.Parameters.AddWithValue("batch", BatchSize);
            var n = await cmd.ExecuteNonQueryAsync(ct);
            deleted += n;
            if (n < BatchSize)
                break;
        }
        await using (var failed = db.CreateCommand("delete from conversation.inbound where failed_at < @cutoff"))
        {
            failed.Parameters.AddWithValue("cutoff", cutoff);
            deleted += await failed.ExecuteNonQueryAsync(ct);
        }
        await using (var undelivered = db.CreateCommand("delete from conversation.outbox where failed_at < @cutoff"))
        {
            undelivered.Parameters.AddWithValue("cutoff", cutoff);
            deleted += await undelivered.ExecuteNonQueryAsync(ct);
        }
        LogDeleted(deleted, options.Value.TranscriptRetentionDays);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Transcript retention removed {Count} rows older than {Days} days")]
    partial void LogDeleted(long count, int days);
}
