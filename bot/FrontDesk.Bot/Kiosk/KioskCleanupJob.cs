using Hangfire;
using FrontDesk.Bot.Conversations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FrontDesk.Bot.Kiosk;

/// <summary>
/// Ends kiosk conversations a page abandoned (a crash, a power cut) once no token issued for them can still be
/// live, removes their activity logs, and forgets old continuation codes and ended conversations.
/// </summary>
public sealed partial class KioskCleanupJob(NpgsqlDataSource db, TimeProvider time, IOptions<KioskOptions> kiosk,
    IOptions<ConversationOptions> conversations, ILogger<KioskCleanupJob> logger)
{
    public const string JobId = "kiosk-cleanup";

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                new("""
                    update kiosk.conversations c set ended_at = $1
                    where ended_at is null and created_at < $2
                      and not exists (select from kiosk.activities a where a.conversation_id = c.id and a.created_at >= $2)
                    """) { Parameters = { new() { Value = now }, new() { Value = now - kiosk.Value.TokenLifetime } } },
                new("delete from kiosk.activities a using kiosk.conversations c where a.conversation_id = c.id and c.ended_at is not null"),
                new("delete from kiosk.continuation_codes where expires_at < $1") { Parameters = { new() { Value = now.AddDays(-1) } } },
                new("delete from kiosk.conversations where ended_at < $1") { Parameters = { new() { Value = now.AddDays(-conversations.Value.TranscriptRetentionDays) } } },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        var ended = batch.BatchCommands[0].RecordsAffected;
        LogCleaned(ended);
        return ended;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kiosk cleanup ended {Count} abandoned conversations")]
    partial void LogCleaned(int count);
}
