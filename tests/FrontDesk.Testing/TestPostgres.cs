using FrontDesk.Bot.Infrastructure;
using FrontDesk.Knowledge.Database;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit;

namespace FrontDesk.Testing;

/// <summary>
/// The private PostgreSQL that './frontdesk test' starts. A template database is migrated once per test process;
/// each test class gets its own copy of it.
/// </summary>
public static class TestPostgres
{
    const string Variable = "FRONTDESK_TEST_DATABASE";
    static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    /// <summary>Connection string to the maintenance database, with a role allowed to create databases.</summary>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException($"{Variable} is not set. Run the tests with './frontdesk test', which starts a private PostgreSQL.");

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;

    /// <summary>A new empty database (no migrations), for tests of the migration runner itself.</summary>
    public static async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAdminAsync($"create database {name}");
        return name;
    }

    /// <summary>A new database cloned from the migrated template.</summary>
    public static async Task<string> CreateMigratedDatabaseAsync()
    {
        var template = await Template.Value;
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAdminAsync($"create database {name} template {template}");
        return name;
    }

    public static Task DropDatabaseAsync(string name) => ExecuteAdminAsync($"drop database if exists {name} with (force)");

    static async Task<string> CreateTemplateAsync()
    {
        var name = $"tpl_{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..8]}";
        await ExecuteAdminAsync($"create database {name}");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        // Only what the test says: not the appsettings.json copied next to the test binaries.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // No pooling: CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template.
            ["Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(ConnectionStringFor(name)) { Pooling = false }.ConnectionString,
        });
        builder.AddDatabase();
        builder.AddAllSchemas();
        using var host = builder.Build();
        await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropDatabaseAsync(name).GetAwaiter().GetResult();
        return name;
    }

    static async Task ExecuteAdminAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>A migrated database of its own for one test class: use as IClassFixture.</summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public string Name { get; private set; } = "";
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Name = await TestPostgres.CreateMigratedDatabaseAsync();
        ConnectionString = TestPostgres.ConnectionStringFor(Name);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await TestPostgres.DropDatabaseAsync(Name);
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
            cmd.Parameters.AddWithValue(name, value);
        var result = await cmd.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
            cmd.Parameters.AddWithValue(name, value);
        return await cmd.ExecuteNonQueryAsync();
    }
}
