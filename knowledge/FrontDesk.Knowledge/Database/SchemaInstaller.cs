using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace FrontDesk.Knowledge.Database;

/// <summary>Brings one module's schema up to date. Runs inside the migration lock, so it need not guard against other hosts.</summary>
public sealed record SchemaInstaller(string Module, IReadOnlyList<string> MigrationIds, Func<NpgsqlConnection, CancellationToken, Task> InstallAsync)
{
    /// <summary>Numbered .sql files embedded from a module folder's Migrations/ directory, applied once each in name order.</summary>
    public static SchemaInstaller FromEmbeddedSql(string module, Assembly assembly, string resourcePrefix)
    {
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(resourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => new SqlScript(IdOf(n, resourcePrefix), ReadResource(assembly, n)))
            .ToList();
        if (scripts.Count == 0)
            throw new InvalidOperationException($"No migrations found under {resourcePrefix} in {assembly.GetName().Name}.");
        return new SchemaInstaller(module, scripts.Select(s => s.Id).ToList(), (conn, ct) => ApplyAsync(module, scripts, conn, ct));
    }

    static string IdOf(string resourceName, string prefix) => resourceName[prefix.Length..].TrimStart('.');

    static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    static async Task ApplyAsync(string module, IReadOnlyList<SqlScript> scripts, NpgsqlConnection conn, CancellationToken ct)
    {
        var applied = new Dictionary<string, string>();
        await using (var cmd = new NpgsqlCommand("select id, checksum from public.schema_migrations where module = @m", conn))
        {
            cmd.Parameters.AddWithValue("m", module);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                applied[reader.GetString(0)] = reader.GetString(1);
        }

        foreach (var script in scripts)
        {
            var checksum = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(script.Sql)));
            if (applied.TryGetValue(script.Id, out var known))
            {
                // An edited migration that already ran would leave databases in different shapes.
                if (known != checksum)
                    throw new InvalidOperationException($"Migration {module}/{script.Id} was changed after it was applied. Add a new migration instead.");
                continue;
            }

            await using var tx = await conn.BeginTransactionAsync(ct);
            await using (var run = new NpgsqlCommand(script.Sql, conn, tx))
                await run.ExecuteNonQueryAsync(ct);
            await using (var record = new NpgsqlCommand(
                "insert into public.schema_migrations (module, id, checksum, applied_at) values (@m, @id, @c, now())", conn, tx))
            {
                record.Parameters.AddWithValue("m", module);
                record.Parameters.AddWithValue("id", script.Id);
                record.Parameters.AddWithValue("c", checksum);
                await record.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
    }

    sealed record SqlScript(string Id, string Sql);
}
