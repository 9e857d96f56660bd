using FrontDesk.Knowledge.Documents;
using FrontDesk.Knowledge.Search;
using Microsoft.Extensions.Options;

namespace FrontDesk.Knowledge.Answers;

/// <summary>Searches the live index and composes a cited answer, or a decline below the calibrated confidence.</summary>
public sealed class QuestionAnswering(KnowledgeIndex index, IOptions<KnowledgeOptions> options)
{
    readonly AnswerComposer composer = new(new AnswerOptions { DeclineThreshold = options.Value.DeclineThreshold });

    public Answer Ask(string question)
    {
        using var lease = index.Acquire();
        var result = lease.Snapshot.Search(question, Math.Max(5, composer.Options.PassagesConsidered));
        return composer.Compose(question, result);
    }
}
