using Npgsql;

namespace FrontDesk.Bot.Line;

/// <summary>The follow state that <see cref="LineInbox"/> records from follow and unfollow events.</summary>
public sealed class LineUsers(NpgsqlDataSource db)
{
    /// <summary>False only when the user blocked the account after following it; unknown users count as following.</summary>
    public async Task<bool> IsFollowingAsync(string userId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select following from line.users where user_id = $1");
        cmd.Parameters.Add(new() { Value = userId });
        return await cmd.ExecuteScalarAsync(ct) is not false;
    }
}
