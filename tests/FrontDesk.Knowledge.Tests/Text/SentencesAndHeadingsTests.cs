using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Tests.Text;

public sealed class SentencesAndHeadingsTests
{
    [Fact]
    public void Sentences_split_on_japanese_and_english_punctuation()
    {
        var sentences = Sentences.SplitText("支援金があります。対象ですか？はい！It costs 0.5 million yen. Apply now").ToList();
        Assert.Equal(["支援金があります。", "対象ですか？", "はい！", "It costs 0.5 million yen.", "Apply now"], sentences);
    }

    [Fact]
    public void A_full_stop_inside_quotes_or_brackets_does_not_end_the_sentence()
    {
        Assert.Equal(["「移住します。」と話した。", "次へ。"], Sentences.SplitText("「移住します。」と話した。次へ。").ToList());
        Assert.Equal(["協議会(以下「PF」という。)が発足。", "次へ。"], Sentences.SplitText("協議会(以下「PF」という。)が発足。次へ。").ToList());
    }

    [Fact]
    public void An_unclosed_bracket_does_not_swallow_the_paragraph()
    {
        var text = "(注" + string.Concat(Enumerable.Repeat("説明の文です。", 40));
        Assert.True(Sentences.Split(text).Count > 10);
    }

    [Theory]
    [InlineData("第1章 総則", 1)]
    [InlineData("1. 概要", 2)]
    [InlineData("3 二拠点居住の支援", 2)]
    [InlineData("(1) 対象者", 3)]
    [InlineData("【支援の内容】", 3)]
    [InlineData("■ 申請方法", 3)]
    [InlineData("① 相談窓口", 4)]
    [InlineData("## 住まい", 2)]
    public void Common_japanese_heading_styles_are_detected(string line, int level) =>
        Assert.Equal(level, Headings.Detect(line)?.Level);

    [Theory]
    [InlineData("移住支援金は最大100万円です。")]
    [InlineData("1.5倍に増えた")]
    [InlineData("")]
    public void Ordinary_sentences_are_not_headings(string line) =>
        Assert.Null(Headings.Detect(line));
}
