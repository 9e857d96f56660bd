using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace FrontDesk.Knowledge.Rules;

/// <summary>The accepted rule files in kb.rule_sets, shared by every host.</summary>
public sealed class RuleStore(NpgsqlDataSource db, TimeProvider time)
{
    public async Task<long> LatestIdAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select coalesce(max(id), 0) from kb.rule_sets");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<(long Id, Dictionary<string, string> Files)?> LatestAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select id, files::text from kb.rule_sets order by id desc limit 1");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return (reader.GetInt64(0), JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(1))!);
    }

    /// <summary>Stores the files unless the newest stored set has the same hash; true when a row was added.</summary>
    public async Task<bool> SaveAsync(IReadOnlyDictionary<string, string> files, string hash, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            insert into kb.rule_sets (content_hash, files, created_at)
            select @hash, @files, @now
            where not exists (select 1 from (select content_hash from kb.rule_sets order by id desc limit 1) latest where latest.content_hash = @hash)
            """);
        cmd.Parameters.AddWithValue("hash", hash);
        cmd.Parameters.Add(new NpgsqlParameter("files", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(files) });
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }
}
