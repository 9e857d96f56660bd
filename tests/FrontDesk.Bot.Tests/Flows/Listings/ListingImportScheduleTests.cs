using FrontDesk.Jobs.Listings;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Flows.Listings;

public sealed class ListingImportScheduleTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_web_host_schedules_the_listing_import_on_the_knowledge_queue_in_Tokyo_time()
    {
        await using var app = new FrontDeskWebApp(db.ConnectionString, settings: new Dictionary<string, string?> { ["Listings:ImportCron"] = "15 5 * * *" });
        using var http = app.CreateClient();
        var storage = app.Services.GetRequiredService<Hangfire.JobStorage>();
        using var connection = storage.GetConnection();
        var import = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).Single(j => j.Id == ListingImportJob.JobId);
        Assert.Equal("Asia/Tokyo", import.TimeZoneId);
        Assert.Equal("15 5 * * *", import.Cron);
        Assert.Equal("knowledge", import.Job.Queue ?? import.Queue);
    }
}
