using System.Text;
using FrontDesk.Jobs.Listings;
using FrontDesk.Knowledge.Database;
using FrontDesk.Knowledge.Listings;
using FrontDesk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Jobs.Tests.Listings;

public sealed class ListingImportJobTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("frontdesk-listings-").FullName;
    static readonly string Content = Path.Combine(RepositoryRoot.Path, "knowledge", "content", "listings");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    IHost Host(params (string Name, string Format, string Path)[] feeds)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.Sources.Clear();
        var settings = new Dictionary<string, string?> { ["Database:ConnectionString"] = db.ConnectionString };
        for (var i = 0; i < feeds.Length; i++)
        {
            settings[$"Listings:Feeds:{i}:Name"] = feeds[i].Name;
            settings[$"Listings:Feeds:{i}:Format"] = feeds[i].Format;
            settings[$"Listings:Feeds:{i}:Path"] = feeds[i].Path;
            settings[$"Listings:Feeds:{i}:AsOf"] = "2025-06-30";
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDatabase();
        builder.AddListings();
        builder.AddListingJobs(schedule: false);
        return builder.Build();
    }

    static Task<IReadOnlyList<ImportReport>> RunAsync(IHost host) => host.Services.GetRequiredService<ListingImportJob>().RunAsync(null, CancellationToken.None);

    string Write(string name, string text, bool bom = false)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text, new UTF8Encoding(bom));
        return path;
    }

    const string FeedHeader = "id,category,prefecture,municipality,price_yen,rent_yen,layout,floor_area_m2,year_built,walk_minutes,farmland,status,as_of\n";

    [Fact]
    public async Task The_sample_feeds_in_both_formats_import_with_attribution_and_a_recorded_report()
    {
        using var host = Host(("sample-links", "Links", Path.Combine(Content, "sample-links.csv")),
            ("sample-csv", "Csv", Path.Combine(Content, "sample-municipality.csv")),
            ("sample-json", "Json", Path.Combine(Content, "sample-municipality.json")));
        var reports = await RunAsync(host);

        Assert.All(reports, r => Assert.Null(r.Error));
        Assert.All(reports, r => Assert.Empty(r.Rejected));
        Assert.Equal(13, reports[0].Added);
        Assert.Equal(12, reports[1].Added);
        Assert.Equal(4, reports[2].Added);
        Assert.Equal(3L, await db.ScalarAsync<long>("select count(*) from listings.import_runs where feed like 'sample-%'"));

        // LINKS: price and rent share one column, told apart by the category; 0 is 応談; free-text distances.
        Assert.Equal(3_800_000L, await db.ScalarAsync<long>("select price_yen from listings.listings where source_id = 'SYN-L-0001'"));
        Assert.Equal(45_000, await db.ScalarAsync<int>("select rent_yen from listings.listings where source_id = 'SYN-L-0002'"));
        Assert.True(await db.ScalarAsync<bool>("select price_yen is null and rent_yen is null from listings.listings where source_id = 'SYN-L-0003'"));
        Assert.Equal((short)12, await db.ScalarAsync<short>("select walk_minutes from listings.listings where source_id = 'SYN-L-0001'"));
        Assert.Equal((short)19, await db.ScalarAsync<short>("select walk_minutes from listings.listings where source_id = 'SYN-L-0004'")); // 1500 (metres) at 80 m/min
        Assert.True(await db.ScalarAsync<bool>("select walk_minutes is null from listings.listings where source_id = 'SYN-L-0003'")); // 車で10分
        Assert.Contains("\n", await db.ScalarAsync<string>("select pr_text from listings.listings where source_id = 'SYN-L-0001'"));
        Assert.Contains("CC BY 4.0", await db.ScalarAsync<string>("select attribution from listings.listings where source_id = 'SYN-L-0001'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from listings.listings where source like 'sample-%' and not synthetic"));
        Assert.Equal("closed", await db.ScalarAsync<string>("select status from listings.listings where source_id = 'M-010'"));
        Assert.Equal("/listings/photos/house-green.svg", await db.ScalarAsync<string>("select photos[1] from listings.listings where source_id = 'J-102'"));
    }

    [Fact]
    public async Task Re_import_is_idempotent_a_changed_row_is_updated_and_a_vanished_listing_is_closed_not_deleted()
    {
        var path = Write("feed.csv", FeedHeader +
            "A1,rent-residential,長野県,松本市,,50000,3LDK,80,1990,10,no,open,2026-10-01\n" +
            "A2,sale-residential,長野県,松本市,3000000,,4LDK,120,1980,,yes,open,2026-10-01\n" +
            "A3,sale-land,長野県,上田市,900000,,,,,,,open,2026-10-01\n");
        using var host = Host(("idem", "Csv", path));

        var first = (await RunAsync(host))[0];
        Assert.Equal((3, 0, 0, 0), (first.Added, first.Updated, first.Unchanged, first.Closed));
        var second = (await RunAsync(host))[0];
        Assert.Equal((0, 0, 3, 0), (second.Added, second.Updated, second.Unchanged, second.Closed));

        Write("feed.csv", FeedHeader +
            "A1,rent-residential,長野県,松本市,,48000,3LDK,80,1990,10,no,open,2026-11-01\n" +
            "A2,sale-residential,長野県,松本市,3000000,,4LDK,120,1980,,yes,open,2026-10-01\n");
        var third = (await RunAsync(host))[0];
        Assert.Equal((0, 1, 1, 1), (third.Added, third.Updated, third.Unchanged, third.Closed));
        Assert.Equal(48_000, await db.ScalarAsync<int>("select rent_yen from listings.listings where source = 'idem' and source_id = 'A1'"));
        Assert.Equal("closed", await db.ScalarAsync<string>("select status from listings.listings where source = 'idem' and source_id = 'A3'"));
        Assert.Equal(3L, await db.ScalarAsync<long>("select count(*) from listings.listings where source = 'idem'"));

        // Back in the feed, it opens again.
        Write("feed.csv", FeedHeader + "A3,sale-land,長野県,上田市,900000,,,,,,,open,2026-10-01\nA1,rent-residential,長野県,松本市,,48000,3LDK,80,1990,10,no,open,2026-11-01\nA2,sale-residential,長野県,松本市,3000000,,4LDK,120,1980,,yes,open,2026-10-01\n");
        var fourth = (await RunAsync(host))[0];
        Assert.Equal((0, 1, 2, 0), (fourth.Added, fourth.Updated, fourth.Unchanged, fourth.Closed));
        Assert.Equal("open", await db.ScalarAsync<string>("select status from listings.listings where source = 'idem' and source_id = 'A3'"));
    }

    [Fact]
    public async Task Malformed_rows_are_reported_with_reasons_while_the_rest_import_and_their_houses_are_not_closed()
    {
        var path = Write("bad-rows.csv", FeedHeader +
            "B1,rent-residential,長野県,松本市,,50000,3LDK,80,1990,10,no,open,2026-10-01\n" +
            "B2,castle,長野県,松本市,,50000,3LDK,80,1990,10,no,open,2026-10-01\n" +
            "B3,rent-residential,長野県,松本市,,たくさん,3LDK,80,1990,10,no,open,2026-10-01\n" +
            "B4,rent-residential,長野県,,,50000,3LDK,80,1990,10,no,open,2026-10-01\n" +
            "B5,sale-residential,長野県,松本市,5000000,,3LDK,80,昔,10,no,open,2026-10-01\n" +
            "B6,rent-residential,長野県,松本市,,50000\n" +
            "B1,rent-residential,長野県,松本市,,51000,3LDK,80,1990,10,no,open,2026-10-01\n" +
            "B7,sale-residential,長野県,松本市,3000000,,4LDK,\"120\",1985,徒歩5分,有り,商談中,2026/10/1\n");
        using var host = Host(("bad-rows", "Csv", path));

        var report = (await RunAsync(host))[0];
        Assert.Null(report.Error);
        Assert.Equal(2, report.Added);
        var reasons = report.Rejected.ToDictionary(r => r.Row, r => r.Reason);
        Assert.Contains("unknown category \"castle\"", reasons[3]);
        Assert.Contains("rent_yen", reasons[4]);
        Assert.Contains("municipality is empty", reasons[5]);
        Assert.Contains("year_built", reasons[6]);
        Assert.Contains("number of fields", reasons[7]);
        Assert.Contains("appears twice", reasons[8]);
        Assert.Equal("negotiating", await db.ScalarAsync<string>("select status from listings.listings where source = 'bad-rows' and source_id = 'B7'"));
        Assert.Contains("castle", await db.ScalarAsync<string>("select report::text from listings.import_runs where feed = 'bad-rows'"));

        // The same feed again: the rejected rows still name their houses, so none is closed.
        var second = (await RunAsync(host))[0];
        Assert.Equal(0, second.Closed);
    }

    [Theory]
    [InlineData("shift-jis.csv", "not UTF-8")]
    [InlineData("wrong-header.csv", "missing column(s) PROPERTY_CATEGORY")]
    [InlineData("empty.csv", "empty")]
    public async Task A_feed_with_a_wrong_encoding_or_header_is_rejected_whole_with_the_reason_and_nothing_changes(string file, string reason)
    {
        var source = $"whole-{Path.GetFileNameWithoutExtension(file)}";
        var path = Path.Combine(folder, file);
        switch (file)
        {
            case "shift-jis.csv":
                // 「長野県」 in Shift_JIS: bytes that are not valid UTF-8.
                File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("PROPERTY_NUMBER_ID,PROPERTY_CATEGORY,PREFECTURE,CITY,AMOUNT/RENT\n1,x,"), 0x92, 0xB7, 0x96, 0xEC, 0x8C, 0xA7, .. Encoding.ASCII.GetBytes(",y,0\n")]);
                break;
            case "wrong-header.csv":
                Write(file, "PROPERTY_NUMBER_ID,CATEGORY,PREFECTURE,CITY,AMOUNT/RENT\n1,売買居住用,長野県,松本市,100\n", bom: true);
                break;
            default:
                Write(file, "");
                break;
        }
        using var host = Host((source, "Links", path));
        var report = (await RunAsync(host))[0];

        Assert.Contains(reason, report.Error);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from listings.listings where source = @s", ("s", source)));
        Assert.Contains(reason, await db.ScalarAsync<string>("select error from listings.import_runs where feed = @s", ("s", source)));
    }

    [Fact]
    public async Task A_missing_feed_file_is_reported_and_keeps_what_was_imported()
    {
        var path = Write("gone.csv", FeedHeader + "G1,rent-residential,長野県,松本市,,50000,3LDK,80,1990,10,no,open,2026-10-01\n");
        using var host = Host(("gone", "Csv", path));
        await RunAsync(host);
        File.Delete(path);

        var report = (await RunAsync(host))[0];
        Assert.NotNull(report.Error);
        Assert.Equal("open", await db.ScalarAsync<string>("select status from listings.listings where source = 'gone' and source_id = 'G1'"));
    }
}
