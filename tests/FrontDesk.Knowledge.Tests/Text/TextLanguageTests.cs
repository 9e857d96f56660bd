using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Tests.Text;

public sealed class TextLanguageTests
{
    [Theory]
    [InlineData("How much is the 移住支援金 for a household?", "en")]
    [InlineData("Is there an akiya bank?", "en")]
    [InlineData("OK", "en")]
    [InlineData("空き家バンクはありますか", "ja")]
    [InlineData("このページ https://www.chisou.go.jp/sousei/ijyu_shienkin.html の内容について", "ja")]
    [InlineData("[ここを押す](javascript:alert(1))<script>x</script>", "ja")]
    [InlineData("😀", "ja")]
    [InlineData("123", "ja")]
    [InlineData("", "ja")]
    public void Mostly_latin_words_are_English_and_addresses_or_markup_do_not_count(string text, string language) =>
        Assert.Equal(language, TextLanguage.Detect(text));
}
