using FrontDesk.Knowledge.Answers;
using FrontDesk.Knowledge.Evaluation;
using Xunit.Abstractions;

namespace FrontDesk.Knowledge.Tests.Answers;

// The gate's fitting routine. Refit: run this class's tests and paste the printed weights into
// AnswerGate (KNOWLEDGE-NOTES.md, "Answer-or-decline gate"); it fits on every *-dev and *-tune
// question file found, never on *-heldout files.
public sealed class AnswerGateTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_refit_on_the_calibration_questions_agrees_with_the_shipped_gate()
    {
        var samples = await CalibrationSamplesAsync();
        var (weights, bias) = AnswerGate.Fit(samples);
        output.WriteLine($"n {samples.Count}, unanswerable {samples.Count(s => !s.Answerable)}");
        output.WriteLine("weights [" + string.Join(", ", weights.Select(w => w.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))) + "]");
        output.WriteLine("bias " + bias.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 0; i < weights.Length; i++)
        {
            output.WriteLine($"  {GateFeatures.Names[i]} fitted {weights[i]:F2} shipped {AnswerGate.Weights[i]:F2}");
        }

        var agree = samples.Count(s => (AnswerGate.Probability(s.X, weights, bias) >= 0.5) == (AnswerGate.Probability(s.X, [.. AnswerGate.Weights], AnswerGate.Bias) >= 0.5));
        Assert.True(agree >= 0.95 * samples.Count, $"the shipped gate decides {agree} of {samples.Count} as a refit does: refit it");
        Assert.All(Enumerable.Range(0, weights.Length), i => Assert.True(weights[i] * AnswerGate.Signs[i] >= 0));
    }

    [Fact]
    public void Fitting_separates_what_the_features_separate()
    {
        var samples = new List<(double[] X, bool Answerable)>();
        for (var i = 0; i < 20; i++)
        {
            samples.Add(([0.6 + i * 0.01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], true));
            samples.Add(([0.1 + i * 0.01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], false));
        }

        var (weights, bias) = AnswerGate.Fit(samples);
        Assert.True(AnswerGate.Probability([0.7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], weights, bias) > 0.5);
        Assert.True(AnswerGate.Probability([0.15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], weights, bias) < 0.5);
    }

    [Fact]
    public void Features_of_a_missing_figure_or_an_unknown_place_lower_the_probability()
    {
        var good = new GateFeatures(0.8, 0.8, 1, 1, 1, 0.5, 0, 0, 0, 0, 0);
        Assert.True(AnswerGate.Probability(good) >= AnswerOptions.DefaultDeclineThreshold);
        Assert.True(AnswerGate.Probability(good with { PlaceUnknown = 1 }) < AnswerGate.Probability(good));
        Assert.True(AnswerGate.Probability(good with { FigureMissing = 1 }) < AnswerGate.Probability(good));
        Assert.True(AnswerGate.Probability(good with { CurrentState = 1 }) < AnswerGate.Probability(good));
    }

    // Every answer composed without a gate, labelled by whether its question is answerable.
    private static async Task<List<(double[] X, bool Answerable)>> CalibrationSamplesAsync()
    {
        var sets = new List<(string Corpus, string Questions)> { (Corpus.SeedDirectory, Corpus.DevQuestions), (Corpus.ArticlesDirectory, Corpus.ArticleQuestions) };
        var evalDir = Path.GetDirectoryName(Path.GetFullPath(Corpus.ArticleQuestions))!;
        foreach (var (file, corpus) in new[] { ("seeds-tune.jsonl", Corpus.SeedDirectory), ("articles-tune.jsonl", Corpus.ArticlesDirectory) })
        {
            if (File.Exists(Path.Combine(evalDir, file)))
            {
                sets.Add((corpus, Path.Combine(evalDir, file)));
            }
        }

        var ungated = new AnswerComposer(new AnswerOptions { DeclineThreshold = 0 });
        var samples = new List<(double[] X, bool Answerable)>();
        foreach (var group in sets.GroupBy(s => s.Corpus))
        {
            using var snapshot = await KnowledgeEvaluation.BuildSnapshotAsync(group.Key, new EvalOptions { SynonymsPath = Corpus.SynonymsFile }, CancellationToken.None);
            foreach (var (_, questions) in group)
            {
                foreach (var q in await KnowledgeEvaluation.LoadQuestionsAsync(questions, CancellationToken.None))
                {
                    var answer = ungated.Compose(q.Question, snapshot.Search(q.Question, 5));
                    samples.Add((answer.Features.ToVector(), q.Answerable));
                }
            }
        }

        return samples;
    }
}
