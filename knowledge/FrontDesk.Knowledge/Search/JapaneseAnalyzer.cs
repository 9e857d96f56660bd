using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace FrontDesk.Knowledge.Search;

// NFKC + width/kana folding + lower case + CJK bigrams, with Latin and digit runs kept whole.
// Unlike the stock CJKAnalyzer it keeps every Latin token, so "IT" is searchable.
public sealed class JapaneseAnalyzer : Analyzer
{
    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader) =>
        new(new JapaneseTokenizer(reader));
}

internal sealed class JapaneseTokenizer : Tokenizer
{
    private readonly ICharTermAttribute term;
    private readonly IOffsetAttribute offset;
    private List<AnalyzedToken> tokens = [];
    private int next;
    private int finalOffset;

    public JapaneseTokenizer(TextReader input) : base(input)
    {
        term = AddAttribute<ICharTermAttribute>();
        offset = AddAttribute<IOffsetAttribute>();
    }

    public override bool IncrementToken()
    {
        ClearAttributes();
        if (next >= tokens.Count)
        {
            return false;
        }

        var token = tokens[next++];
        term.SetEmpty().Append(token.Term);
        offset.SetOffset(CorrectOffset(Math.Min(token.Start, finalOffset)), CorrectOffset(Math.Min(token.End, finalOffset)));
        return true;
    }

    public override void Reset()
    {
        base.Reset();
        // Offsets refer to the normalised text; passages are short, so whole-field reads are fine.
        var text = m_input.ReadToEnd() ?? string.Empty;
        tokens = TextAnalysis.Tokenize(text);
        finalOffset = text.Length;
        next = 0;
    }

    public override void End()
    {
        base.End();
        offset.SetOffset(CorrectOffset(finalOffset), CorrectOffset(finalOffset));
    }
}
