using FrontDesk.Bot.Conversations;
using Npgsql;

namespace FrontDesk.Bot.Line;

/// <summary>
/// LINE's unsend: the message the user took back leaves the transcript whatever the conversation is doing (a flow, a
/// handoff: the coordinator's view reads the transcript). The unsend itself is not a turn the bot answers or records.
/// </summary>
public sealed class UnsendMiddleware(NpgsqlDataSource db) : ITurnMiddleware
{
    public async Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct)
    {
        var inbound = turn.Inbound;
        if (turn.Address.Channel != LineChannel.Name || inbound.Kind != ActivityKind.Event || inbound.Name != LineChannel.Events.Unsend)
        {
            await next(turn, ct);
            return;
        }
        if (!string.IsNullOrEmpty(inbound.Value))
            await TranscriptRemoval.RemoveChannelMessageAsync(db, turn.Address, inbound.Value, ct);
    }
}
