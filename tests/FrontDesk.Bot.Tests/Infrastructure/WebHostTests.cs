using System.Net;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Infrastructure;

public sealed class WebHostTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Health_endpoints_report_live_and_ready_over_real_http()
    {
        await using var app = new FrontDeskWebApp(db.ConnectionString);
        using var http = app.CreateClient();
        Assert.StartsWith("http://127.0.0.1:", http.BaseAddress!.ToString());

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_fails_when_a_migration_is_missing()
    {
        await using var app = new FrontDeskWebApp(db.ConnectionString);
        using var http = app.CreateClient();
        await db.ExecuteAsync("update public.schema_migrations set id = id || '.renamed' where module = 'conversation'");
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            await db.ExecuteAsync("update public.schema_migrations set id = replace(id, '.renamed', '') where module = 'conversation'");
        }
    }

    [Fact]
    public async Task The_jobs_dashboard_is_closed_to_anonymous_users_outside_development()
    {
        await using var app = new FrontDeskWebApp(db.ConnectionString, environment: "Production");
        using var http = app.CreateClient();
        var response = await http.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("Hangfire", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_jobs_dashboard_opens_from_this_machine_in_development()
    {
        await using var app = new FrontDeskWebApp(db.ConnectionString);
        using var http = app.CreateClient();
        var response = await http.GetAsync("/hangfire/recurring");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("conversation-transcript-retention", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Recurring_jobs_are_scheduled_in_the_Tokyo_time_zone()
    {
        await using var app = new FrontDeskWebApp(db.ConnectionString);
        using var http = app.CreateClient();
        var storage = app.Services.GetRequiredService<Hangfire.JobStorage>();
        using var connection = storage.GetConnection();
        var retention = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection)
            .Single(j => j.Id == FrontDesk.Bot.Conversations.TranscriptRetentionJob.JobId);
        Assert.Equal("Asia/Tokyo", retention.TimeZoneId);
        Assert.Equal("30 3 * * *", retention.Cron);
        Assert.Equal("bot", retention.Job.Queue ?? retention.Queue);
    }
}
