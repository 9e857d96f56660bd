using FrontDesk.Knowledge.Evaluation;
using Xunit.Abstractions;

namespace FrontDesk.Knowledge.Tests.Evaluation;

public sealed class KnowledgeEvaluationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Dev_set_metrics_are_reported_for_the_japanese_chain_and_the_baseline()
    {
        var japanese = await KnowledgeEvaluation.RunAsync(Corpus.SeedDirectory, Corpus.DevQuestions,
            new EvalOptions { SynonymsPath = Corpus.SynonymsFile }, CancellationToken.None);
        var baseline = await KnowledgeEvaluation.RunAsync(Corpus.SeedDirectory, Corpus.DevQuestions,
            new EvalOptions { Baseline = true }, CancellationToken.None);

        output.WriteLine("japanese chain:\n" + japanese.ToText());
        output.WriteLine("baseline (StandardAnalyzer, no synonyms):\n" + baseline.ToText());
        output.WriteLine(japanese.ToJson());

        Assert.Equal(30, japanese.N);
        Assert.All([japanese.RecallAt1, japanese.RecallAt3, japanese.RecallAt5, japanese.Mrr, japanese.AnswerContains,
            japanese.UnanswerableDeclined, japanese.FalseDecline], v => Assert.InRange(v, 0, 1));
        Assert.True(japanese.RecallAt1 <= japanese.RecallAt3 && japanese.RecallAt3 <= japanese.RecallAt5);
        Assert.True(japanese.RecallAt3 >= baseline.RecallAt3, "the Japanese chain should not retrieve worse than the baseline");
    }

    [Fact]
    public void Json_report_uses_the_cli_keys()
    {
        var json = new EvalReport(1, 1, 1, 1, 1, 1, 0, 2, 3, 4, []).ToJson();
        foreach (var key in new[] { "recall_at_1", "recall_at_3", "recall_at_5", "mrr", "answer_contains", "unanswerable_declined", "false_decline", "p50_ms", "p95_ms", "\"n\"" })
        {
            Assert.Contains(key, json);
        }
    }
}
