using FrontDesk.Knowledge.Evaluation;
using FrontDesk.Knowledge.Search;

namespace FrontDesk.Knowledge.Tests;

// The shared seed documents live beside the repository (../shared/seeds).
public static class Corpus
{
    public static string SeedDirectory => Find(Path.Combine("shared", "seeds"));

    public static string DevQuestions => Path.Combine(Path.GetDirectoryName(SeedDirectory)!, "eval", "kb-dev.jsonl");

    public static string SynonymsFile => KnowledgeEvaluation.FindDefaultSynonyms()
        ?? throw new FileNotFoundException("knowledge/content/synonyms.txt not found above the test folder");

    // The project's own articles and their dev questions (knowledge/content, knowledge/eval).
    public static string ArticlesDirectory => Find(Path.Combine("knowledge", "content", "articles"));

    public static string ArticleQuestions => Path.Combine(ArticlesDirectory, "..", "..", "eval", "articles-dev.jsonl");

    public static string Seed(string prefix) =>
        Directory.EnumerateFiles(SeedDirectory, prefix + "*.txt").Single();

    private static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}

// One index over the seeds, shared by the tests of a class: building it is the slow part.
public sealed class SeedIndexFixture : IAsyncLifetime
{
    public IndexSnapshot Snapshot { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Snapshot = await KnowledgeEvaluation.BuildSnapshotAsync(Corpus.SeedDirectory, new EvalOptions { SynonymsPath = Corpus.SynonymsFile }, CancellationToken.None);

    public Task DisposeAsync()
    {
        Snapshot.Dispose();
        return Task.CompletedTask;
    }
}

// One index over the project's articles (Japanese bodies with an English summary each).
public sealed class ArticleIndexFixture : IAsyncLifetime
{
    public IndexSnapshot Snapshot { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Snapshot = await KnowledgeEvaluation.BuildSnapshotAsync(Corpus.ArticlesDirectory, new EvalOptions { SynonymsPath = Corpus.SynonymsFile }, CancellationToken.None);

    public Task DisposeAsync()
    {
        Snapshot.Dispose();
        return Task.CompletedTask;
    }
}
