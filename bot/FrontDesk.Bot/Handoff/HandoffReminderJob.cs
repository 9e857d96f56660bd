using FrontDesk.Bot.Conversations;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FrontDesk.Bot.Handoff;

/// <summary>
/// Conversations waiting longer than <see cref="HandoffOptions.ReminderMinutes"/> with nobody on them: the user is told
/// we have not forgotten them (once), and the console marks them overdue. Runs every minute; safe to run twice.
/// </summary>
public sealed class HandoffReminderJob(NpgsqlDataSource db, ConversationEngine engine, TimeProvider time, IOptions<HandoffOptions> options)
{
    public const string JobId = "handoff-reminders";

    [DisableConcurrentExecution(timeoutInSeconds: 120)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().AddMinutes(-options.Value.ReminderMinutes);
        var overdue = new List<string>();
        await using (var cmd = db.CreateCommand("""
            select key from conversation.conversations
            where state -> 'handoff' ->> 'status' = 'Waiting'
              and (state -> 'handoff' ->> 'requestedAt')::timestamptz < @cutoff
              and state -> 'handoff' ->> 'remindedAt' is null
            limit 500
            """))
        {
            cmd.Parameters.AddWithValue("cutoff", cutoff);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                overdue.Add(reader.GetString(0));
        }
        // Through the engine, so the reminder is ordered with the user's own messages and a claim that races it wins cleanly.
        foreach (var key in overdue)
            await engine.HandleAsync(ConversationAddress.Parse(key), Activity.Event(HandoffEvents.Remind), ct);
        return overdue.Count;
    }
}
