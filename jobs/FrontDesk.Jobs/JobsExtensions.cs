using System.Linq.Expressions;
using FrontDesk.Knowledge.Database;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FrontDesk.Jobs;

/// <summary>A recurring job a module declares; scheduled at start-up in Asia/Tokyo.</summary>
public sealed record RecurringJobDefinition(string Id, Action<IRecurringJobManager, RecurringJobOptions> Register);

public static class JobsExtensions
{
    public const string HangfireSchema = "hangfire";

    /// <summary>Hangfire's own tables, installed by the migration runner under its lock, so hosts never race on them.</summary>
    public static readonly SchemaInstaller HangfireSchemaInstaller = new(HangfireSchema, [], (conn, _) =>
    {
        PostgreSqlObjectsInstaller.Install(conn, HangfireSchema);
        return Task.CompletedTask;
    });

    /// <summary>Hangfire on the FrontDesk database (schema "hangfire"); a server when <see cref="JobsOptions.RunServer"/> is set.</summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder, params string[] defaultQueues)
    {
        var options = builder.Services.AddOptions<JobsOptions>()
            .BindConfiguration(JobsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (defaultQueues.Length > 0)
            options.Configure(o => o.Queues = builder.Configuration.GetSection($"{JobsOptions.SectionName}:Queues").Get<string[]>() ?? defaultQueues);

        builder.Services.AddSingleton(HangfireSchemaInstaller);

        builder.Services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                bootstrap => bootstrap.UseConnectionFactory(new DataSourceConnectionFactory(sp.GetRequiredService<NpgsqlDataSource>())),
                new PostgreSqlStorageOptions { SchemaName = HangfireSchema, PrepareSchemaIfNecessary = false }));

        // Hangfire's factory configures the process-wide JobStorage.Current and then returns it: two hosts in one
        // process (the tests) starting together could each get the other's storage. One at a time, each gets its own.
        var storage = builder.Services.Last(d => d.ServiceType == typeof(JobStorage));
        if (storage.ImplementationFactory is { } factory)
        {
            builder.Services.Remove(storage);
            builder.Services.AddSingleton<JobStorage>(sp =>
            {
                lock (StorageGate)
                    return (JobStorage)factory(sp);
            });
        }

        // Decided when the host starts, from the final configuration (tests and hosts may override it late).
        builder.Services.AddHostedService<JobServer>();
        builder.Services.AddHostedService<RecurringJobsSetup>();
        return builder;
    }

    static readonly Lock StorageGate = new();

    public static IServiceCollection AddRecurringJob<TJob>(this IServiceCollection services, string id, string queue, string cron, Expression<Func<TJob, Task>> call)
        => services.AddSingleton(new RecurringJobDefinition(id, (manager, options) => manager.AddOrUpdate(id, queue, call, cron, options)));

    /// <summary>A recurring job whose schedule is an option: read when the host starts, from the final configuration.</summary>
    public static IServiceCollection AddRecurringJob<TJob, TOptions>(this IServiceCollection services, string id, string queue,
        Func<TOptions, string> cron, Expression<Func<TJob, Task>> call) where TOptions : class
        => services.AddSingleton(sp => new RecurringJobDefinition(id, (manager, options) =>
            manager.AddOrUpdate(id, queue, call, cron(sp.GetRequiredService<IOptions<TOptions>>().Value), options)));

    sealed class RecurringJobsSetup(IEnumerable<RecurringJobDefinition> definitions, IRecurringJobManager manager) : IHostedService
    {
        public Task StartAsync(CancellationToken ct)
        {
            foreach (var definition in definitions)
                definition.Register(manager, new RecurringJobOptions { TimeZone = JapanTime.Zone });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }

    sealed class JobServer(IOptions<JobsOptions> options, JobStorage storage, JobActivator activator) : IHostedService, IDisposable
    {
        BackgroundJobServer? server;

        public Task StartAsync(CancellationToken ct)
        {
            var o = options.Value;
            if (o.RunServer)
            {
                server = new BackgroundJobServer(new BackgroundJobServerOptions
                {
                    Queues = o.Queues,
                    WorkerCount = o.WorkerCount,
                    ServerName = $"{Environment.MachineName}:{Environment.ProcessId}",
                    Activator = activator,
                }, storage);
            }
            return Task.CompletedTask;
        }

        public async Task StopAsync(CancellationToken ct)
        {
            if (server is null)
                return;
            server.SendStop();
            await server.WaitForShutdownAsync(ct);
        }

        public void Dispose() => server?.Dispose();
    }

    sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }
}
