using FrontDesk.Knowledge.Search;

namespace FrontDesk.Knowledge.Tests.Search;

public sealed class AnalysisTests
{
    private static string[] Terms(string text) => TextAnalysis.Tokenize(text).Select(t => t.Term).ToArray();

    [Fact]
    public void Latin_words_like_IT_survive_analysis() =>
        Assert.Contains("it", Terms("ＩＴ企業で働く"));

    [Fact]
    public void Japanese_text_becomes_overlapping_bigrams() =>
        Assert.Equal(["移住", "住支", "支援", "援金"], Terms("移住支援金"));

    [Fact]
    public void A_single_character_between_scripts_is_kept_as_a_unigram() =>
        Assert.Equal(["100", "円"], Terms("100円"));

    [Fact]
    public void Katakana_and_hiragana_fold_together() =>
        Assert.Equal(Terms("テレワーク"), Terms("てれわーく"));

    [Fact]
    public void Full_width_and_half_width_forms_fold_together()
    {
        Assert.Equal(Terms("DX推進 2026"), Terms("ＤＸ推進　２０２６"));
        Assert.Equal(Terms("テレワーク"), Terms("ﾃﾚﾜｰｸ"));
    }

    [Fact]
    public void Synonym_lines_group_phrases_regardless_of_spacing_and_width()
    {
        var set = SynonymSet.Parse(["# comment", "二地域居住 = 二拠点居住 = dual residence", "", "空き家 = 空家"]);
        Assert.Equal(2, set.GroupCount);
        var matches = set.Match(Terms("ＤＵＡＬ  Residence"));
        Assert.Single(matches);
    }
}
