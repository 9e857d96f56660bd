using FrontDesk.Jobs.Knowledge;
using FrontDesk.Knowledge.Database;
using FrontDesk.Knowledge.Documents;
using FrontDesk.Knowledge.Rules;
using FrontDesk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Jobs.Tests.Rules;

/// <summary>The knowledge refresh job reloads the rule files; a broken file never replaces the last good rules, on any host.</summary>
public sealed class RuleRefreshTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    readonly string folder = CopyOfRepositoryRules();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    static string CopyOfRepositoryRules()
    {
        var source = Path.Combine(RepositoryRoot.Path, "knowledge", "content", "rules");
        var target = Directory.CreateTempSubdirectory("frontdesk-rules-").FullName;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        return target;
    }

    IHost Host(bool jobs)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = db.ConnectionString,
            ["Rules:Folder"] = folder,
        });
        builder.AddDatabase();
        builder.AddKnowledge(search: false);
        if (jobs)
            builder.AddKnowledgeJobs();
        else
            builder.AddRules();
        return builder.Build();
    }

    static Task<RefreshReport> RunAsync(IHost host) => host.Services.GetRequiredService<KnowledgeRefreshJob>().RunAsync(null, CancellationToken.None);

    void Edit(string file, string find, string replace)
    {
        var path = Path.Combine(folder, file);
        var text = File.ReadAllText(path);
        Assert.Contains(find, text);
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
    }

    Task<long> StoredSetsAsync() => db.ScalarAsync<long>("select count(*) from kb.rule_sets");

    [Fact]
    public async Task The_refresh_job_stores_valid_rules_keeps_the_last_good_set_when_a_file_breaks_and_every_host_follows()
    {
        using var worker = Host(jobs: true);
        using var web = Host(jobs: false);
        var provider = web.Services.GetRequiredService<RuleBookProvider>();
        // A set no other test stored yet.
        Edit("municipalities/minami.yaml", "# 美波町（徳島県）", "# 美波町（徳島県） " + Guid.NewGuid());
        var before = await StoredSetsAsync();

        var first = await RunAsync(worker);
        Assert.Equal("changed", first.Rules!.Outcome);
        Assert.Equal(0, first.Failed);
        var firstBook = (await provider.RefreshAsync(CancellationToken.None))!;
        Assert.Equal("unchanged", (await RunAsync(worker)).Rules!.Outcome);

        // Staff save a file with a typo in a condition key.
        Edit("national.yaml", "      - key: stay_weeks\n        max: 4", "      - key: stay_week\n        max: 4");
        var broken = await RunAsync(worker);
        Assert.Equal("failed", broken.Rules!.Outcome);
        var item = Assert.Single(broken.Items, i => i.Source == "rules");
        Assert.Equal("national.yaml", item.Document);
        var line = File.ReadAllLines(Path.Combine(folder, "national.yaml")).ToList().FindIndex(l => l.Contains("key: stay_week", StringComparison.Ordinal)) + 1;
        Assert.Equal($"national.yaml:{line}: unknown condition key 'stay_week'; known keys: {string.Join(", ", FactKey.All.Select(k => k.Name))}", item.Reason);
        Assert.Equal(1, broken.Failed);
        Assert.Contains("rules failed (1 errors)", broken.ToString());
        Assert.Contains("rules", await db.ScalarAsync<string>("select report::text from kb.refresh_runs order by id desc limit 1"));
        Assert.Same(firstBook, await provider.RefreshAsync(CancellationToken.None));
        Assert.Equal(before + 1, await StoredSetsAsync());

        // Fixed, and a caveat reworded: the new set is stored and another host picks it up.
        Edit("national.yaml", "key: stay_week\n", "key: stay_weeks\n");
        Edit("municipalities/yurihama.yaml", "受け入れる期間は6月1日から9月30日まで", "受入れは毎年6月1日から9月30日まで");
        Assert.Equal("changed", (await RunAsync(worker)).Rules!.Outcome);
        var book = (await provider.RefreshAsync(CancellationToken.None))!;
        Assert.NotEqual(firstBook.Hash, book.Hash);
        Assert.Contains(book.ItemsFor("yurihama").Single(i => i.Id == "taiken").Caveats, c => c.Ja.StartsWith("受入れは毎年", StringComparison.Ordinal));
        Assert.Equal(before + 2, await StoredSetsAsync());
    }

    [Fact]
    public async Task A_fresh_database_gets_the_rule_folder_from_the_first_host_that_needs_it()
    {
        await db.ExecuteAsync("delete from kb.rule_sets");
        using var web = Host(jobs: false);
        var book = await web.Services.GetRequiredService<RuleBookProvider>().GetAsync(CancellationToken.None);
        Assert.NotNull(book);
        Assert.Equal(1, await db.ScalarAsync<long>("select count(*) from kb.rule_sets"));
        Assert.Equal(book!.Hash, await db.ScalarAsync<string>("select content_hash from kb.rule_sets"));
    }
}
