using FrontDesk.Knowledge.Database;
using FrontDesk.Knowledge.Documents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FrontDesk.Bench;

/// <summary>A throwaway database on the private cluster; dropped when the benchmark ends.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    readonly string admin;

    BenchDatabase(string admin, string name)
    {
        this.admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 200 }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable("FRONTDESK_BENCH_DATABASE")
            ?? throw new InvalidOperationException("FRONTDESK_BENCH_DATABASE is not set; run './frontdesk bench'.");
        var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(admin, $"create database {name}");
        return new BenchDatabase(admin, name);
    }

    /// <summary>A host with only the migrated kb schema and the document store, for loading a corpus.</summary>
    public async Task<IHost> KnowledgeStoreHostAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Database:ConnectionString"] = ConnectionString });
        builder.AddDatabase();
        builder.AddKnowledge(search: false);
        var host = builder.Build();
        await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(admin, $"drop database if exists {Name} with (force)");
    }

    static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

public static class Percentiles
{
    public static double Of(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
