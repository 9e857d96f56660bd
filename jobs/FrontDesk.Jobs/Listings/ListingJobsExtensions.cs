using FrontDesk.Knowledge.Listings;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FrontDesk.Jobs.Listings;

public static class ListingJobsExtensions
{
    /// <summary>The import job; with <paramref name="schedule"/>, also recurring on the knowledge queue and once at start-up.</summary>
    public static IHostApplicationBuilder AddListingJobs(this IHostApplicationBuilder builder, bool schedule = true)
    {
        builder.Services.AddHttpClient<ListingImportJob>(client =>
        {
            client.Timeout = TimeSpan.FromSeconds(120);
            client.DefaultRequestHeaders.UserAgent.ParseAdd("FrontDesk-ListingImport/1.0");
        });
        if (!schedule)
            return builder;
        builder.Services.AddRecurringJob<ListingImportJob, ListingsOptions>(ListingImportJob.JobId, JobQueues.Knowledge, o => o.ImportCron, j => j.RunAsync(null, CancellationToken.None));
        builder.Services.AddHostedService<ImportOnStart>();
        return builder;
    }

    sealed class ImportOnStart(IBackgroundJobClient jobs, IOptions<ListingsOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken ct)
        {
            if (options.Value.ImportOnStart && options.Value.Feeds.Count > 0)
                jobs.Enqueue<ListingImportJob>(JobQueues.Knowledge, j => j.RunAsync(null, CancellationToken.None));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
