using FrontDesk.Knowledge.Answers;
using FrontDesk.Knowledge.Database;
using FrontDesk.Knowledge.Search;
using FrontDesk.Knowledge.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Knowledge.Documents;

public static class KnowledgeExtensions
{
    /// <summary>The kb schema and document store; with <paramref name="search"/>, also a live index and question answering.</summary>
    public static IHostApplicationBuilder AddKnowledge(this IHostApplicationBuilder builder, bool search = true)
    {
        var services = builder.Services;
        services.AddOptions<KnowledgeOptions>()
            .BindConfiguration(KnowledgeOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Sources.All(s => s.Problem() is null), "Each knowledge source needs exactly one of Folder or an http(s) Url.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSchema("kb", typeof(DocumentStore).Assembly, "FrontDesk.Knowledge.Documents.Migrations");
        services.AddSingleton<DocumentStore>();
        if (!search)
            return builder;

        var contentRoot = builder.Environment.ContentRootPath;
        services.AddSingleton(sp => KnowledgeIndexUpdater.LoadSynonyms(sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value.SynonymsPath, contentRoot));
        // Without MeCab the host still answers from bigrams; the tagger says so once in the log.
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value;
            return MeCabTagger.Open(new MeCabOptions { Library = o.MeCabLibrary, Dictionary = o.MeCabDictionary },
                sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MeCabTagger).FullName!));
        });
        services.AddSingleton(sp => new KnowledgeIndex(IndexSnapshot.Build([], sp.GetRequiredService<SynonymSet>(), 0,
            fields: sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value.Fields, mecab: sp.GetRequiredService<MeCabTagger>())));
        services.AddSingleton<KnowledgeIndexUpdater>();
        services.AddHostedService(sp => sp.GetRequiredService<KnowledgeIndexUpdater>());
        services.AddSingleton<QuestionAnswering>();
        return builder;
    }
}
