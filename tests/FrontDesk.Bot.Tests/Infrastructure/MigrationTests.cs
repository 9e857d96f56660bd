using FrontDesk.Bot.Conversations;
using FrontDesk.Knowledge.Database;
using FrontDesk.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FrontDesk.Bot.Tests.Infrastructure;

public sealed class MigrationTests
{
    static MigrationRunner Runner(NpgsqlDataSource dataSource) => new(dataSource,
        [SchemaInstaller.FromEmbeddedSql("conversation", typeof(ConversationEngine).Assembly, "FrontDesk.Bot.Conversations.Migrations")],
        NullLogger<MigrationRunner>.Instance);

    [Fact]
    public async Task Two_hosts_migrating_a_fresh_database_at_once_apply_each_migration_exactly_once()
    {
        var name = await TestPostgres.CreateEmptyDatabaseAsync();
        try
        {
            await using var a = NpgsqlDataSource.Create(TestPostgres.ConnectionStringFor(name));
            await using var b = NpgsqlDataSource.Create(TestPostgres.ConnectionStringFor(name));
            var runners = new[] { Runner(a), Runner(b), Runner(a), Runner(b) };

            await Task.WhenAll(runners.Select(r => Task.Run(() => r.MigrateAsync(CancellationToken.None))));

            await using var cmd = a.CreateCommand("select count(*), count(distinct id) from public.schema_migrations where module = 'conversation'");
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            var expected = runners[0].Installers[0].MigrationIds.Count;
            Assert.Equal(expected, reader.GetInt64(0));
            Assert.Equal(expected, reader.GetInt64(1));
            Assert.True(await runners[0].IsUpToDateAsync(CancellationToken.None));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await TestPostgres.DropDatabaseAsync(name);
        }
    }

    [Fact]
    public async Task Migrating_an_up_to_date_database_changes_nothing()
    {
        var name = await TestPostgres.CreateMigratedDatabaseAsync();
        try
        {
            await using var ds = NpgsqlDataSource.Create(TestPostgres.ConnectionStringFor(name));
            await using var before = ds.CreateCommand("select string_agg(module || id || applied_at::text, ',' order by module, id) from public.schema_migrations");
            var ledger = (string?)await before.ExecuteScalarAsync();

            await Runner(ds).MigrateAsync(CancellationToken.None);
            await Runner(ds).MigrateAsync(CancellationToken.None);

            await using var after = ds.CreateCommand("select string_agg(module || id || applied_at::text, ',' order by module, id) from public.schema_migrations");
            Assert.Equal(ledger, (string?)await after.ExecuteScalarAsync());
            Assert.Contains("hangfire", await ScalarAsync(ds, "select string_agg(nspname, ',') from pg_namespace"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await TestPostgres.DropDatabaseAsync(name);
        }
    }

    [Fact]
    public async Task A_pending_migration_makes_the_database_not_ready()
    {
        var name = await TestPostgres.CreateEmptyDatabaseAsync();
        try
        {
            await using var ds = NpgsqlDataSource.Create(TestPostgres.ConnectionStringFor(name));
            Assert.False(await Runner(ds).IsUpToDateAsync(CancellationToken.None));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await TestPostgres.DropDatabaseAsync(name);
        }
    }

    [Fact]
    public async Task An_unreachable_database_is_named_by_host_and_port_without_the_password()
    {
        await using var ds = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=nowhere;Username=someone;Password=s3cret-value;Timeout=3");
        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => Runner(ds).MigrateAsync(CancellationToken.None));
        Assert.Contains("127.0.0.1:1", error.Message);
        Assert.Contains("nowhere", error.Message);
        Assert.DoesNotContain("s3cret-value", error.Message);
    }

    static async Task<string> ScalarAsync(NpgsqlDataSource ds, string sql)
    {
        await using var cmd = ds.CreateCommand(sql);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
