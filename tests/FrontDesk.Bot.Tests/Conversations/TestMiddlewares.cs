using FrontDesk.Bot.Conversations;
using Npgsql;

namespace FrontDesk.Bot.Tests.Conversations;

/// <summary>Appends every message text to the state, so a test can read the order in which turns really ran.</summary>
sealed class SeenLog : ITurnMiddleware
{
    public Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct)
    {
        var seen = turn.State.Profile.GetValueOrDefault("seen");
        turn.State.Profile["seen"] = seen is null ? turn.Inbound.Text ?? "" : seen + "," + turn.Inbound.Text;
        turn.Say(turn.Inbound.Text ?? "", turn.Inbound.Text ?? "");
        return Task.CompletedTask;
    }
}

/// <summary>On the first turn whose text is "conflict", changes the stored state behind the engine's back, as a concurrent writer would.</summary>
sealed class ConcurrentWriter(NpgsqlDataSource db) : ITurnMiddleware
{
    public int Runs;

    public async Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct)
    {
        if (turn.Inbound.Text == "conflict" && Interlocked.Increment(ref Runs) == 1)
        {
            await using var cmd = db.CreateCommand("""
                update conversation.conversations
                set state = jsonb_set(state, '{profile,writer}', '"other"'), version = version + 1
                where key = @key
                """);
            cmd.Parameters.AddWithValue("key", turn.Address.Key);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        turn.Say("ok", "ok");
    }
}

sealed class Exploding : ITurnMiddleware
{
    public Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct) =>
        turn.Inbound.Text == "エラーを起こす" ? throw new InvalidOperationException("flow bug") : next(turn, ct);
}
