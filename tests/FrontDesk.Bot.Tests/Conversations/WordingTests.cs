using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests.Conversations;

public sealed class WordingTests
{
    [Fact]
    public void The_bot_refers_to_the_prefecture_one_way_in_its_texts_and_articles()
    {
        var files = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "bot", "FrontDesk.Bot"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "knowledge", "content", "articles"), "*.md"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
        var mixed = files.Where(f => File.ReadAllText(f).Contains("当自治体", StringComparison.Ordinal)).Select(Path.GetFileName).ToList();
        Assert.Empty(mixed);
    }
}
