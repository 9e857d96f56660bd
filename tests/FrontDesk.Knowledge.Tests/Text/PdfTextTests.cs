using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Tests.Text;

public sealed class PdfTextTests
{
    [Fact]
    public void Lines_broken_mid_sentence_in_a_real_seed_are_joined()
    {
        var clean = PdfText.Clean(File.ReadAllText(Corpus.Seed("000")));

        // Each phrase is split across two lines in the extracted text.
        Assert.Contains("急速に広がっている。", clean);
        Assert.Contains("国勢調査も含めた全国一律の調査", clean);
        Assert.Contains("空き家バンクの利便性向上", clean);
    }

    [Fact]
    public void Stray_spaces_in_a_real_seed_are_removed()
    {
        var clean = PdfText.Clean(File.ReadAllText(Corpus.Seed("004")));
        Assert.Contains("約7割", clean);
        Assert.DoesNotContain("約 7 割", clean);
    }

    [Fact]
    public void Lines_are_not_joined_after_a_sentence_end_or_into_headings_and_list_items()
    {
        string[] lines =
        [
            "１ 支援の概要",
            "移住した世帯には、条件を満たせば最大で",
            "１００ 万円が支給される。",
            "対象は次のとおり",
            "・東京圏に住んでいた方",
            "・就業した方",
            "（２） 申請の方法",
            "窓口で受け付ける。",
        ];

        var blocks = PdfText.JoinBlocks(lines.Select(JapaneseText.Normalize).ToList());

        Assert.Equal(
            ["1 支援の概要", "移住した世帯には、条件を満たせば最大で100万円が支給される。", "対象は次のとおり", "・東京圏に住んでいた方", "・就業した方", "(2) 申請の方法", "窓口で受け付ける。"],
            blocks.Select(b => b.Text).ToArray());
        Assert.True(blocks[0].IsHeading);
        Assert.True(blocks[5].IsHeading);
        Assert.False(blocks[1].IsHeading);
    }

    [Fact]
    public void Page_numbers_and_running_headers_are_removed()
    {
        var pages = Enumerable.Range(1, 4).Select(n => $"移住のてびき\n本文{n}ページ目の文章です。\n- {n} -");
        var clean = PdfText.Clean(string.Join('\f', pages));

        Assert.DoesNotContain("移住のてびき", clean);
        Assert.DoesNotContain("- 2 -", clean);
        Assert.Contains("本文2ページ目の文章です。", clean);
    }

    [Fact]
    public void Html_tags_left_in_extracted_text_are_dropped() =>
        Assert.Equal("見出し\n太字の本文", PdfText.Clean("<p><b>見出し</b></p><p>太字の<b>本文</b></p>"));
}
