using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FrontDesk.Knowledge.Database;

public static class DatabaseExtensions
{
    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString);
            // Statements repeat on every turn; let Npgsql prepare the frequent ones unless configured otherwise.
            if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0)
                dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64;
            dataSource.UseLoggerFactory(sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>());
            return dataSource.Build();
        });
        builder.Services.AddSingleton<MigrationRunner>();
        // Registered before every other hosted service, so the schema exists before jobs or channels start.
        builder.Services.AddHostedService<MigrateOnStart>();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>Registers a module's numbered .sql files, embedded from the given folder's Migrations/ directory.</summary>
    public static IServiceCollection AddSchema(this IServiceCollection services, string module, Assembly assembly, string resourcePrefix)
        => services.AddSingleton(SchemaInstaller.FromEmbeddedSql(module, assembly, resourcePrefix));

    sealed class MigrateOnStart(MigrationRunner runner, IOptions<DatabaseOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => options.Value.MigrateOnStart ? runner.MigrateAsync(ct) : Task.CompletedTask;
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }

    sealed class DatabaseReadyCheck(MigrationRunner runner) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                return await runner.IsUpToDateAsync(ct)
                    ? HealthCheckResult.Healthy("Database reachable, migrations applied.")
                    : HealthCheckResult.Unhealthy("Database reachable, migrations pending.");
            }
            catch (DatabaseUnavailableException e)
            {
                return HealthCheckResult.Unhealthy(e.Message);
            }
        }
    }
}
