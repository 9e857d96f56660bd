using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FrontDesk.Knowledge.Documents;
using FrontDesk.Knowledge.Ingestion;
using FrontDesk.Knowledge.Rules;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FrontDesk.Jobs.Knowledge;

public sealed record RefreshItem(string Source, string Document, string Outcome, string? Reason = null);

public sealed record RefreshReport(int Added, int Changed, int Removed, int Unchanged, int Failed, IReadOnlyList<RefreshItem> Items, RuleRefresh? Rules = null)
{
    public override string ToString() => $"added {Added}, changed {Changed}, removed {Removed}, unchanged {Unchanged}, failed {Failed}" + (Rules is null ? "" : $"; rules {Rules}");
}

/// <summary>
/// Reads every configured source, re-ingests only documents whose content hash changed, marks vanished ones removed,
/// and reports what happened. A source that fails keeps its last good content. Safe to run twice.
/// </summary>
public sealed partial class KnowledgeRefreshJob(
    DocumentStore store,
    RuleRefresher rules,
    NpgsqlDataSource db,
    HttpClient http,
    IOptions<KnowledgeOptions> options,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<KnowledgeRefreshJob> logger)
{
    public const string JobId = "knowledge-refresh";
    readonly Chunker chunker = new();

    [DisableConcurrentExecution(timeoutInSeconds: 1800)]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Refresh the knowledge base")]
    public async Task<RefreshReport> RunAsync(PerformContext? context, CancellationToken ct)
    {
        var runId = await StartRunAsync(ct);
        var items = new List<RefreshItem>();
        var removed = 0;
        var sources = options.Value.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            context?.SetJobParameter("progress", $"source {i + 1}/{sources.Count}: {source.Name}");
            var before = items.Count;
            try
            {
                removed += source.Folder is { Length: > 0 } folder
                    ? await RefreshFolderAsync(source.Name, Path.GetFullPath(folder, environment.ContentRootPath), items, ct)
                    : await RefreshUrlAsync(source.Name, source.Url!, items, ct);
                var failed = items.Skip(before).Count(x => x.Outcome == "failed");
                await store.RecordSourceRunAsync(source.Name, failed == 0 ? "ok" : "partial", null, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                items.Add(new RefreshItem(source.Name, "*", "failed", Reason(e)));
                await store.RecordSourceRunAsync(source.Name, "failed", Reason(e), ct);
                LogSourceFailed(source.Name, e.GetType().Name);
            }
        }

        // School, childcare and support rules: a broken file is reported and the last good set stays.
        context?.SetJobParameter("progress", "rules");
        var ruleRefresh = await rules.RefreshAsync(ct);
        items.AddRange(ruleRefresh.Errors.Select(e => new RefreshItem("rules", e.File, "failed", e.ToString())));

        var report = new RefreshReport(
            items.Count(x => x.Outcome == "added"), items.Count(x => x.Outcome == "changed"), removed,
            items.Count(x => x.Outcome == "unchanged"), items.Count(x => x.Outcome == "failed"),
            items.Where(x => x.Outcome != "unchanged").ToList(), ruleRefresh);
        await FinishRunAsync(runId, report, ct);
        context?.SetJobParameter("progress", "done: " + report);
        LogFinished(report.Added, report.Changed, report.Removed, report.Unchanged, report.Failed);
        return report;
    }

    async Task<int> RefreshFolderAsync(string sourceId, string folder, List<RefreshItem> items, CancellationToken ct)
    {
        await store.EnsureSourceAsync(sourceId, "folder", folder, ct);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"folder not found: {folder}");

        var seen = new List<string>();
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(DocumentParser.IsSupported)
            .Where(f => !Path.GetFileName(f).Equals("README.md", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var key = Path.GetRelativePath(folder, file).Replace('\\', '/');
            seen.Add(key); // a file that fails to read keeps its last good version
            try
            {
                var info = new FileInfo(file);
                if (info.Length > options.Value.MaxDocumentBytes)
                    throw new InvalidDataException($"larger than {options.Value.MaxDocumentBytes} bytes");
                var bytes = await File.ReadAllBytesAsync(file, ct);
                items.Add(new RefreshItem(sourceId, key, await IngestAsync(sourceId, key, key, bytes, null, null, ct)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                items.Add(new RefreshItem(sourceId, key, "failed", Reason(e)));
            }
        }
        return await store.RemoveMissingAsync(sourceId, seen, ct);
    }

    async Task<int> RefreshUrlAsync(string sourceId, string url, List<RefreshItem> items, CancellationToken ct)
    {
        await store.EnsureSourceAsync(sourceId, "url", url, ct);
        var known = await store.GetValidatorsAsync(sourceId, url, ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (known?.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
            request.Headers.IfNoneMatch.Add(tag);
        if (known?.LastModified is { } lastModified && DateTimeOffset.TryParse(lastModified, out var since))
            request.Headers.IfModifiedSince = since;

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == HttpStatusCode.NotModified && known is not null)
        {
            items.Add(new RefreshItem(sourceId, url, "unchanged"));
            return 0;
        }
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} from {url}");
        if (response.Content.Headers.ContentLength > options.Value.MaxDocumentBytes)
            throw new InvalidDataException($"larger than {options.Value.MaxDocumentBytes} bytes");

        var bytes = await ReadBoundedAsync(response.Content, options.Value.MaxDocumentBytes, ct);
        var validators = new FetchValidators(response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R"));
        var name = FileNameFor(new Uri(url), response.Content.Headers.ContentType?.MediaType);
        items.Add(new RefreshItem(sourceId, url, await IngestAsync(sourceId, url, name, bytes, url, validators, ct)));
        return 0;
    }

    async Task<string> IngestAsync(string sourceId, string key, string name, byte[] bytes, string? url, FetchValidators? validators, CancellationToken ct)
    {
        var document = DocumentParser.Parse(name, bytes, url);
        var passages = chunker.Chunk(document);
        if (passages.Count == 0)
            throw new InvalidDataException("no readable text");
        var outcome = await store.UpsertAsync(sourceId, key, document, passages, validators, ct);
        return outcome.ToString().ToLowerInvariant();
    }

    /// <summary>A file name whose extension tells the parser the format, from the URL or else the content type.</summary>
    static string FileNameFor(Uri url, string? mediaType)
    {
        var last = Path.GetFileName(url.AbsolutePath);
        if (DocumentParser.IsSupported(last))
            return last;
        var extension = mediaType switch
        {
            "application/pdf" => ".pdf",
            "text/markdown" => ".md",
            "text/plain" => ".txt",
            _ => ".html",
        };
        return (last.Length > 0 ? last : "index") + extension;
    }

    static async Task<byte[]> ReadBoundedAsync(HttpContent content, int max, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
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

    static string Reason(Exception e) => e switch
    {
        HttpRequestException or InvalidDataException or DirectoryNotFoundException or FileNotFoundException => e.Message,
        TaskCanceledException => "timed out",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    async Task<long> StartRunAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("insert into kb.refresh_runs (started_at) values (@now) returning id");
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    async Task FinishRunAsync(long runId, RefreshReport report, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            update kb.refresh_runs set finished_at = @now, added = @a, changed = @c, removed = @r, unchanged = @u, failed = @f, report = @report
            where id = @id
            """);
        cmd.Parameters.AddWithValue("id", runId);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        cmd.Parameters.AddWithValue("a", report.Added);
        cmd.Parameters.AddWithValue("c", report.Changed);
        cmd.Parameters.AddWithValue("r", report.Removed);
        cmd.Parameters.AddWithValue("u", report.Unchanged);
        cmd.Parameters.AddWithValue("f", report.Failed);
        cmd.Parameters.Add(new NpgsqlParameter("report", NpgsqlTypes.NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(report.Items) });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge source {Source} failed ({Error}); its last good content stays")]
    partial void LogSourceFailed(string source, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge refresh: added {Added}, changed {Changed}, removed {Removed}, unchanged {Unchanged}, failed {Failed}")]
    partial void LogFinished(int added, int changed, int removed, int unchanged, int failed);
}
