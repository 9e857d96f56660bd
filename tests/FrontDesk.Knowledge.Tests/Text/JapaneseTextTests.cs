using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Tests.Text;

public sealed class JapaneseTextTests
{
    [Theory]
    [InlineData("１００ 万円", "100万円")]
    [InlineData("令 和 ６ 年", "令和6年")]
    [InlineData("約 7 割", "約7割")]
    [InlineData("ＩＴ 企業", "IT企業")]
    public void Spaced_numbers_match_unspaced_form(string spaced, string expected) =>
        Assert.Equal(expected, JapaneseText.RemoveStraySpaces(JapaneseText.Normalize(spaced)));

    [Fact]
    public void Spaces_between_latin_words_are_kept_and_spaces_next_to_japanese_go() =>
        Assert.Equal("remote work制度", JapaneseText.RemoveStraySpaces(JapaneseText.Normalize("remote　work 制度")));

    [Fact]
    public void Normalize_applies_nfkc_and_unifies_whitespace()
    {
        Assert.Equal("ABC 123 カタカナ", JapaneseText.Normalize("ＡＢＣ\t１２３　ｶﾀｶﾅ"));
        Assert.Equal("a\nb", JapaneseText.Normalize("a\r\nb"));
    }

    [Fact]
    public void Normalize_drops_control_characters_and_lone_surrogates()
    {
        var text = "移住\u0000支援\u0007" + '\uD800' + "金" + '\uDC00';
        Assert.Equal("移住支援金", JapaneseText.Normalize(text));
    }

    [Fact]
    public void Emoji_survive_normalisation_as_pairs() =>
        Assert.Equal("🏠家", JapaneseText.Normalize("🏠家"));

    [Fact]
    public void Circled_numbers_keep_their_list_marker() =>
        Assert.StartsWith("①", JapaneseText.Normalize("①市町村との会議"));

    [Fact]
    public void Compact_ignores_layout_for_comparisons() =>
        Assert.Equal("令和6年1月9日", JapaneseText.Compact("令和６年 １月\n９日"));
}
