using FrontDesk.Knowledge.Documents;
using FrontDesk.Knowledge.Rules;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FrontDesk.Jobs.Knowledge;

public static class KnowledgeJobsExtensions
{
    /// <summary>
    /// The refresh job; with <paramref name="schedule"/>, also on the knowledge queue on its schedule and once at start-up
    /// (which needs Hangfire). Without it, the job can only be run directly, as the terminal chat does.
    /// </summary>
    public static IHostApplicationBuilder AddKnowledgeJobs(this IHostApplicationBuilder builder, bool schedule = true)
    {
        builder.AddRules();
        builder.Services.AddHttpClient<KnowledgeRefreshJob>(client =>
        {
            client.Timeout = TimeSpan.FromSeconds(60);
            client.DefaultRequestHeaders.UserAgent.ParseAdd("FrontDesk-KnowledgeRefresh/1.0");
        });
        if (!schedule)
            return builder;
        builder.Services.AddRecurringJob<KnowledgeRefreshJob, KnowledgeOptions>(KnowledgeRefreshJob.JobId, JobQueues.Knowledge, o => o.RefreshCron, j => j.RunAsync(null, CancellationToken.None));
        builder.Services.AddHostedService<RefreshOnStart>();
        return builder;
    }

    sealed class RefreshOnStart(IBackgroundJobClient jobs, IOptions<KnowledgeOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken ct)
        {
            if (options.Value.RefreshOnStart && options.Value.Sources.Count > 0)
                jobs.Enqueue<KnowledgeRefreshJob>(JobQueues.Knowledge, j => j.RunAsync(null, CancellationToken.None));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
