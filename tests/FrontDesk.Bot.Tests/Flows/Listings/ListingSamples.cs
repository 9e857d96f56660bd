using FrontDesk.Knowledge.Listings;
using FrontDesk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Bot.Tests.Flows.Listings;

/// <summary>The repository's synthetic sample feeds, imported the way the job does (once per database).</summary>
public static class ListingSamples
{
    static readonly string Folder = Path.Combine(RepositoryRoot.Path, "knowledge", "content", "listings");

    public static async Task ImportAsync(IServiceProvider services)
    {
        var importer = services.GetRequiredService<ListingImporter>();
        var asOf = new DateOnly(2025, 6, 30);
        foreach (var (name, format, file) in new[]
        {
            ("sample-links", FeedFormat.Links, "sample-links.csv"),
            ("sample-municipality-csv", FeedFormat.Csv, "sample-municipality.csv"),
            ("sample-municipality-json", FeedFormat.Json, "sample-municipality.json"),
        })
        {
            var report = await importer.ImportAsync(new FeedSource(name, format, asOf), await File.ReadAllBytesAsync(Path.Combine(Folder, file)), true, CancellationToken.None);
            if (report.Error is not null || report.Rejected.Count > 0)
                throw new InvalidOperationException("sample feed did not import cleanly: " + report);
        }
    }
}
