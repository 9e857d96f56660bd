using System.Text;
using FrontDesk.Jobs.Knowledge;
using FrontDesk.Knowledge.Database;
using FrontDesk.Knowledge.Documents;
using FrontDesk.Knowledge.Search;
using FrontDesk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Jobs.Tests.Knowledge;

public sealed class KnowledgeRefreshJobTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("frontdesk-kb-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    IHost Host(params (string Name, string Kind, string Location)[] sources)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        // Only what the test says: not the appsettings.json copied next to the test binaries.
        builder.Configuration.Sources.Clear();
        var settings = new Dictionary<string, string?> { ["Database:ConnectionString"] = db.ConnectionString };
        for (var i = 0; i < sources.Length; i++)
        {
            settings[$"Knowledge:Sources:{i}:Name"] = sources[i].Name;
            settings[$"Knowledge:Sources:{i}:{sources[i].Kind}"] = sources[i].Location;
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDatabase();
        builder.AddKnowledge();
        builder.AddKnowledgeJobs();
        return builder.Build();
    }

    static Task<RefreshReport> RunAsync(IHost host) => host.Services.GetRequiredService<KnowledgeRefreshJob>().RunAsync(null, CancellationToken.None);

    void Write(string name, string text) => File.WriteAllText(Path.Combine(folder, name), text, Encoding.UTF8);

    static string Article(string title, string body) => $"---\ntitle: {title}\nas_of: 2026-04-01\n---\n# {title}\n## 概要\n{body}\n";

    [Fact]
    public async Task An_unchanged_folder_is_no_work_and_a_changed_file_becomes_a_new_version()
    {
        Write("a.md", Article("移住支援金", "世帯で移住する場合は100万円以内が支給されます。単身の場合は60万円以内です。"));
        Write("b.md", Article("空き家バンク", "空き家バンクは、自治体が空き家の情報を集めて紹介するしくみです。"));
        using var host = Host(("folder-a", "Folder", folder));

        var first = await RunAsync(host);
        Assert.Equal((2, 0, 0, 0), (first.Added, first.Changed, first.Removed, first.Failed));
        var version = await db.ScalarAsync<long>("select version from kb.content_version");

        var second = await RunAsync(host);
        Assert.Equal((0, 0, 2), (second.Added, second.Changed, second.Unchanged));
        Assert.Equal(version, await db.ScalarAsync<long>("select version from kb.content_version"));

        Write("a.md", Article("移住支援金", "世帯で移住する場合は100万円以内、単身の場合は60万円以内です。子育て加算もあります。"));
        var third = await RunAsync(host);
        Assert.Equal((0, 1, 1), (third.Added, third.Changed, third.Unchanged));
        Assert.Equal(2, await db.ScalarAsync<int>("select version from kb.documents where source_id = 'folder-a' and key = 'a.md'"));
        Assert.True(await db.ScalarAsync<long>("select version from kb.content_version") > version);
        Assert.Contains("子育て加算", await db.ScalarAsync<string>(
            "select string_agg(p.text, '') from kb.passages p join kb.documents d on d.id = p.document_id where d.key = 'a.md'"));
    }

    [Fact]
    public async Task A_deleted_file_is_removed_and_a_broken_one_keeps_its_last_good_content()
    {
        Write("keep.md", Article("ふるさと納税", "ふるさと納税は、応援したい自治体に寄附ができる制度です。"));
        Write("gone.md", Article("お試し住宅", "お試し住宅では、短い期間だけ地域での暮らしを体験できます。"));
        Write("report.pdf", "%PDF-1.4 placeholder that a later run will break");
        using var host = Host(("folder-b", "Folder", folder));
        await RunAsync(host);

        File.Delete(Path.Combine(folder, "gone.md"));
        File.WriteAllBytes(Path.Combine(folder, "keep.md"), []); // truncated: no readable text any more
        var report = await RunAsync(host);

        Assert.Equal(1, report.Removed);
        Assert.Contains(report.Items, i => i.Document == "keep.md" && i.Outcome == "failed" && i.Reason is { Length: > 0 });
        Assert.Null(await db.ScalarAsync<DateTime?>("select removed_at from kb.documents where key = 'keep.md'"));
        Assert.NotNull(await db.ScalarAsync<DateTime?>("select removed_at from kb.documents where key = 'gone.md'"));
        Assert.Contains("寄附", await db.ScalarAsync<string>(
            "select string_agg(p.text, '') from kb.passages p join kb.documents d on d.id = p.document_id where d.key = 'keep.md'"));
        Assert.Equal(0, await db.ScalarAsync<long>(
            "select count(*) from kb.passages p join kb.documents d on d.id = p.document_id where d.key = 'gone.md'"));
    }

    [Fact]
    public async Task A_corrupt_pdf_fails_that_document_only_with_the_reason_in_the_report()
    {
        Write("ok.md", Article("体験入学", "体験入学は、短い期間だけ地域の学校に通ってみる取り組みです。"));
        File.WriteAllBytes(Path.Combine(folder, "broken.pdf"), Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage"));
        using var host = Host(("folder-c", "Folder", folder));

        var report = await RunAsync(host);
        Assert.Equal(1, report.Added);
        var failure = Assert.Single(report.Items, i => i.Outcome == "failed");
        Assert.Equal("broken.pdf", failure.Document);
        Assert.False(string.IsNullOrWhiteSpace(failure.Reason));
        Assert.Equal("partial", await db.ScalarAsync<string>("select last_status from kb.sources where id = 'folder-c'"));
        Assert.Equal(1, await db.ScalarAsync<int>("select failed from kb.refresh_runs order by id desc limit 1"));
    }

    [Fact]
    public async Task A_missing_folder_fails_the_source_and_keeps_what_it_had()
    {
        Write("x.md", Article("デュアルスクール", "デュアルスクールは、二つの学校を行き来して学ぶしくみです。"));
        using (var host = Host(("folder-d", "Folder", folder)))
            await RunAsync(host);
        using var broken = Host(("folder-d", "Folder", Path.Combine(folder, "no-such-folder")));

        var report = await RunAsync(broken);
        Assert.Equal(1, report.Failed);
        Assert.Equal(0, report.Removed);
        Assert.Equal(1, await db.ScalarAsync<long>("select count(*) from kb.documents where source_id = 'folder-d' and removed_at is null"));
        Assert.Equal("failed", await db.ScalarAsync<string>("select last_status from kb.sources where id = 'folder-d'"));
    }

    [Fact]
    public async Task A_url_source_uses_conditional_get_and_survives_server_errors()
    {
        await using var server = await FakeDocumentServer.StartAsync();
        var page = "<html><head><title>保育園留学</title></head><body><h1>保育園留学</h1><p>保育園留学は、親子で地域に滞在し、子どもが地元の保育園に通うしくみです。</p></body></html>";
        server.Put("/hoiku.html", "text/html; charset=utf-8", Encoding.UTF8.GetBytes(page));
        var url = server.BaseUrl + "/hoiku.html";
        Assert.StartsWith("http://127.0.0.1:", url);
        using var host = Host(("web", "Url", url));

        var first = await RunAsync(host);
        Assert.True(first.Added == 1, string.Join("; ", first.Items));
        var second = await RunAsync(host);
        Assert.True(second.Unchanged == 1, string.Join("; ", second.Items));
        var conditional = server.Requests.Last();
        Assert.NotNull(conditional.IfNoneMatch);
        Assert.Equal(304, conditional.Status);

        server.FailWith = 500;
        var failed = await RunAsync(host);
        Assert.Equal(1, failed.Failed);
        Assert.Contains("500", failed.Items.Single().Reason);
        Assert.Null(await db.ScalarAsync<DateTime?>("select removed_at from kb.documents where key = @k", ("k", url)));

        server.FailWith = null;
        server.Put("/hoiku.html", "text/html; charset=utf-8", Encoding.UTF8.GetBytes(page.Replace("しくみです", "取り組みです")));
        Assert.Equal(1, (await RunAsync(host)).Changed);
    }

    [Fact]
    public async Task An_unreachable_url_fails_that_source_only()
    {
        Write("y.md", Article("テレワーク", "テレワークで地方に住みながら働く人が増えています。"));
        using var host = Host(("local", "Folder", folder), ("dead", "Url", "http://127.0.0.1:1/nothing.html"));

        var report = await RunAsync(host);
        Assert.Equal(1, report.Added);
        var failure = Assert.Single(report.Items, i => i.Outcome == "failed");
        Assert.Equal("dead", failure.Source);
    }

    [Fact]
    public async Task The_seed_documents_ingest_and_every_host_index_picks_up_the_new_version()
    {
        var seeds = Path.Combine(RepositoryRoot.Path, "..", "shared", "seeds");
        using var host = Host(("seeds", "Folder", seeds));
        var report = await RunAsync(host);
        Assert.Equal(5, report.Added);

        // Two hosts' indexes, both rebuilt from PostgreSQL.
        using var other = Host();
        foreach (var h in new[] { host, other })
        {
            var version = await h.Services.GetRequiredService<KnowledgeIndexUpdater>().RefreshAsync(CancellationToken.None);
            Assert.Equal(await db.ScalarAsync<long>("select version from kb.content_version"), version);
            var hits = h.Services.GetRequiredService<KnowledgeIndex>().Search("二拠点居住の実態調査", 5).Hits;
            Assert.Contains(hits, hit => hit.DocumentId == "000_801d2ea3ba4da5ec.txt");
        }
    }
}
