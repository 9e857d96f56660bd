using System.Text.Json;
using FrontDesk.Knowledge.Listings;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FrontDesk.Jobs.Listings;

/// <summary>
/// Imports every configured listing feed (files or http(s) addresses), one transaction per feed, and records a report per
/// feed: added, updated, unchanged, closed, and rejected rows with their reasons. A feed that cannot be read changes nothing.
/// </summary>
public sealed partial class ListingImportJob(
    ListingImporter importer,
    NpgsqlDataSource db,
    HttpClient http,
    IOptions<ListingsOptions> options,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<ListingImportJob> logger)
{
    public const string JobId = "listings-import";

    [DisableConcurrentExecution(timeoutInSeconds: 1800)]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Import vacant-house listings")]
    public async Task<IReadOnlyList<ImportReport>> RunAsync(PerformContext? context, CancellationToken ct)
    {
        var feeds = options.Value.Feeds;
        var reports = new List<ImportReport>();
        for (var i = 0; i < feeds.Count; i++)
        {
            var feed = feeds[i];
            context?.SetJobParameter("progress", $"feed {i + 1}/{feeds.Count}: {feed.Name}");
            var started = time.GetUtcNow();
            ImportReport report;
            try
            {
                var bytes = await ReadAsync(feed, ct);
                var source = new FeedSource(feed.Name, feed.Format, feed.AsOf ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
                    feed.Licence, feed.Attribution, feed.SourceUrl);
                report = await importer.ImportAsync(source, bytes, feed.Full, ct);
            }
            catch (Exception e) when (e is IOException or HttpRequestException or InvalidDataException or UnauthorizedAccessException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                report = new ImportReport(feed.Name, 0, 0, 0, 0, [], e is TaskCanceledException ? "timed out" : e.Message);
                LogFeedUnreadable(feed.Name, e.GetType().Name);
            }
            await RecordAsync(started, report, ct);
            reports.Add(report);
        }
        context?.SetJobParameter("progress", "done: " + string.Join("; ", reports));
        return reports;
    }

    async Task<byte[]> ReadAsync(ListingFeedOptions feed, CancellationToken ct)
    {
        var max = options.Value.MaxFeedBytes;
        if (feed.Path is { Length: > 0 } path)
        {
            var full = Path.GetFullPath(path, environment.ContentRootPath);
            if (new FileInfo(full) is { Exists: true, Length: var length } && length > max)
                throw new InvalidDataException($"larger than {max} bytes");
            return await File.ReadAllBytesAsync(full, ct);
        }
        using var response = await http.GetAsync(feed.Url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} from {feed.Url}");
        if (response.Content.Headers.ContentLength > max)
            throw new InvalidDataException($"larger than {max} bytes");
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > max)
                throw new InvalidDataException($"larger than {max} bytes");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    async Task RecordAsync(DateTimeOffset started, ImportReport report, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            insert into listings.import_runs (feed, started_at, finished_at, added, updated, unchanged, closed, rejected, error, report)
            values (@feed, @started, @now, @a, @u, @same, @c, @r, @error, @report)
            """);
        cmd.Parameters.AddWithValue("feed", report.Feed);
        cmd.Parameters.AddWithValue("started", started);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        cmd.Parameters.AddWithValue("a", report.Added);
        cmd.Parameters.AddWithValue("u", report.Updated);
        cmd.Parameters.AddWithValue("same", report.Unchanged);
        cmd.Parameters.AddWithValue("c", report.Closed);
        cmd.Parameters.AddWithValue("r", report.Rejected.Count);
        cmd.Parameters.AddWithValue("error", (object?)report.Error ?? DBNull.Value);
        cmd.Parameters.Add(new NpgsqlParameter("report", NpgsqlTypes.NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(report.Rejected) });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing feed {Feed} could not be read ({Error}); its listings stay as they were")]
    partial void LogFeedUnreadable(string feed, string error);
}
