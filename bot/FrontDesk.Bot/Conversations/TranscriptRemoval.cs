using Npgsql;

namespace FrontDesk.Bot.Conversations;

/// <summary>Removes a message the user took back (LINE "unsend") from the transcript.</summary>
public static class TranscriptRemoval
{
    public static async Task<int> RemoveChannelMessageAsync(NpgsqlDataSource db, ConversationAddress address, string channelMessageId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            delete from conversation.transcript
            where conversation_key = $1 and direction = 'i' and activity ->> 'channelMessageId' = $2
            """);
        cmd.Parameters.Add(new() { Value = address.Key });
        cmd.Parameters.Add(new() { Value = channelMessageId });
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
