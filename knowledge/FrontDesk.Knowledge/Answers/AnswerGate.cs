namespace FrontDesk.Knowledge.Answers;

// Answer or decline: a logistic regression over GateFeatures, fitted on the development and
// tuning questions (answerable = 1, unanswerable = 0) by Fit below; the refit is run by
// AnswerGateFitTests with FRONTDESK_FIT_GATE=1 and prints the weights to paste here
// (KNOWLEDGE-NOTES.md, "Answer-or-decline gate").
public static class AnswerGate
{
    // Order of GateFeatures.Names. Fitted on kb-dev, articles-dev, seeds-tune and articles-tune (l2 0.01), with the lemma field fused.
    private static readonly double[] Fitted = [0.90, 1.72, 1.11, 0.00, 1.03, 0.52, -0.62, -1.07, 0.00, -0.39, -2.15, 1.02];

    public static IReadOnlyList<double> Weights => Fitted;

    public const double Bias = -3.42;

    public static double Probability(GateFeatures features) => Probability(features.ToVector(), Fitted, Bias);

    public static double Probability(double[] x, double[] weights, double bias)
    {
        var z = bias;
        for (var i = 0; i < x.Length; i++)
        {
            z += weights[i] * x[i];
        }

        return 1 / (1 + Math.Exp(-z));
    }

    // What each feature may do: +1 only speak for answering, -1 only for declining. With a few
    // dozen unanswerable questions a free weight can take the wrong sign by chance.
    public static readonly int[] Signs = [1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, 1];

    // Batch gradient descent on the log loss with an L2 penalty (not on the bias), each weight
    // kept to its sign; classes are weighted to count equally, since unanswerable questions are
    // the fewer.
    public static (double[] Weights, double Bias) Fit(IReadOnlyList<(double[] X, bool Answerable)> samples, double l2 = 0.01, int iterations = 20_000, double rate = 0.5)
    {
        var dims = samples[0].X.Length;
        var w = new double[dims];
        var b = 0.0;
        var positives = samples.Count(s => s.Answerable);
        var negatives = samples.Count - positives;
        var wPos = positives == 0 ? 0 : samples.Count / (2.0 * positives);
        var wNeg = negatives == 0 ? 0 : samples.Count / (2.0 * negatives);
        for (var it = 0; it < iterations; it++)
        {
            var gradW = new double[dims];
            var gradB = 0.0;
            foreach (var (x, answerable) in samples)
            {
                var error = (Probability(x, w, b) - (answerable ? 1 : 0)) * (answerable ? wPos : wNeg);
                for (var i = 0; i < dims; i++)
                {
                    gradW[i] += error * x[i];
                }

                gradB += error;
            }

            for (var i = 0; i < dims; i++)
            {
                w[i] -= rate * (gradW[i] / samples.Count + l2 * w[i]);
                w[i] = Signs[i] > 0 ? Math.Max(0, w[i]) : Math.Min(0, w[i]);
            }

            b -= rate * gradB / samples.Count;
        }

        return (w, b);
    }
}
