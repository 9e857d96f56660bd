using FrontDesk.Knowledge.Documents;
using FrontDesk.Knowledge.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDesk.Testing;

/// <summary>Puts documents into the kb schema the way the refresh job does, then brings the host's index up to date.</summary>
public static class KnowledgeContent
{
    public static string ArticlesFolder => Path.Combine(RepositoryRoot.Path, "knowledge", "content", "articles");

    public static async Task LoadAsync(IServiceProvider services, string folder, string sourceId = "articles")
    {
        var store = services.GetRequiredService<DocumentStore>();
        await store.EnsureSourceAsync(sourceId, "folder", folder, CancellationToken.None);
        var chunker = new Chunker();
        foreach (var file in Directory.EnumerateFiles(folder).Where(DocumentParser.IsSupported).Where(f => !f.EndsWith("README.md", StringComparison.Ordinal)))
        {
            var document = await DocumentParser.ParseFileAsync(file, CancellationToken.None);
            await store.UpsertAsync(sourceId, Path.GetFileName(file), document, chunker.Chunk(document), null, CancellationToken.None);
        }
        await services.GetRequiredService<KnowledgeIndexUpdater>().RefreshAsync(CancellationToken.None);
    }
}
