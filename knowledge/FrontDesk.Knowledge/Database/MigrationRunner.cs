using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FrontDesk.Knowledge.Database;

/// <summary>Applies every module's schema under one PostgreSQL advisory lock, so hosts starting together do not race.</summary>
public sealed partial class MigrationRunner(NpgsqlDataSource dataSource, IEnumerable<SchemaInstaller> installers, ILogger<MigrationRunner> logger)
{
    // Any fixed number works; it only has to be the same for every FrontDesk process.
    const long MigrationLockKey = 0x46726F6E74446573; // "FrontDes"

    public IReadOnlyList<SchemaInstaller> Installers { get; } = installers.ToList();

    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var conn = await OpenAsync(dataSource, ct);
        await using (var lockCmd = new NpgsqlCommand("select pg_advisory_lock(@k)", conn))
        {
            lockCmd.Parameters.AddWithValue("k", MigrationLockKey);
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        try
        {
            await using (var ledger = new NpgsqlCommand("""
                create table if not exists public.schema_migrations (
                    module text not null,
                    id text not null,
                    checksum text not null,
                    applied_at timestamptz not null,
                    primary key (module, id))
                """, conn))
                await ledger.ExecuteNonQueryAsync(ct);

            foreach (var installer in Installers)
            {
                await installer.InstallAsync(conn, ct);
                LogModuleReady(installer.Module);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(@k)", conn);
            unlock.Parameters.AddWithValue("k", MigrationLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>True when every known migration is recorded as applied.</summary>
    public async Task<bool> IsUpToDateAsync(CancellationToken ct)
    {
        var expected = Installers.SelectMany(i => i.MigrationIds.Select(id => i.Module + "/" + id)).ToHashSet();
        if (expected.Count == 0)
            return true;
        await using var conn = await OpenAsync(dataSource, ct);
        await using var cmd = new NpgsqlCommand("""
            select module || '/' || id from public.schema_migrations
            where to_regclass('public.schema_migrations') is not null
            """, conn);
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                expected.Remove(reader.GetString(0));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return false;
        }
        return expected.Count == 0;
    }

    /// <summary>Opens a connection, turning an unreachable server into an error that names host and port but never the password.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException && !ct.IsCancellationRequested)
        {
            var cs = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            throw new DatabaseUnavailableException(
                $"Cannot reach PostgreSQL at {cs.Host}:{cs.Port} (database '{cs.Database}', user '{cs.Username}'): {e.Message}. " +
                "Is the server running? './frontdesk db start' starts the private one.", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema {Module} is up to date")]
    partial void LogModuleReady(string module);
}

public sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner);
