using System.Security.Cryptography;
using System.Text;
using FrontDesk.Knowledge.Ingestion;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace FrontDesk.Knowledge.Tests.Ingestion;

public sealed class DocumentParserTests
{
    [Fact]
    public void Markdown_front_matter_becomes_metadata_and_headings_become_sections()
    {
        const string markdown = """
            ---
            title: 移住支援のご案内
            source: https://example.org/guide
            publisher: 移住相談センター
            as_of: 2026-04-01
            fiscal_year: 2026
            ---
            # はじめに

            この記事は**移住**を考える方向けです。

            ## 住まい

            - 空き家バンクを使えます。
            - 家賃の補助があります。
            """;

        var doc = DocumentParser.Parse("guide.md", Encoding.UTF8.GetBytes(markdown));

        Assert.Equal("移住支援のご案内", doc.Title);
        Assert.Equal("https://example.org/guide", doc.Metadata.Source);
        Assert.Equal("移住相談センター", doc.Metadata.Publisher);
        Assert.Equal(new DateOnly(2026, 4, 1), doc.Metadata.AsOf);
        Assert.Equal(2026, doc.Metadata.FiscalYear);
        Assert.Equal(["はじめに", "住まい"], doc.Sections.Select(s => s.HeadingPath.Count == 0 ? "" : s.HeadingPath[^1]).ToArray());
        Assert.Equal(["はじめに", "住まい"], doc.Sections[1].HeadingPath.ToArray());
        Assert.Contains("この記事は移住を考える方向けです。", doc.SectionText(doc.Sections[0]));
        Assert.Contains("空き家バンクを使えます。", doc.SectionText(doc.Sections[1]));
    }

    [Fact]
    public void Html_keeps_title_and_headings_and_drops_navigation_and_scripts()
    {
        const string html = """
            <html><head><title>子育て支援</title><script>var secret = 1;</script><style>p{}</style></head>
            <body><nav>ホーム | サイトマップ</nav>
            <h1>子育て支援</h1><p>保育園の利用について説明します。</p>
            <h2>学校</h2><ul><li>区域外就学の相談ができます。</li></ul>
            </body></html>
            """;

        var doc = DocumentParser.Parse("kids.html", Encoding.UTF8.GetBytes(html));

        Assert.Equal("子育て支援", doc.Title);
        Assert.DoesNotContain("secret", doc.Text);
        Assert.DoesNotContain("サイトマップ", doc.Text);
        Assert.Equal(["子育て支援", "学校"], doc.Sections[1].HeadingPath.ToArray());
        Assert.Contains("区域外就学の相談ができます。", doc.SectionText(doc.Sections[1]));
    }

    [Fact]
    public void Pdf_text_is_extracted_and_cleaned()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        page.AddText("Relocation support guide", 14, new PdfPoint(50, 750), font);
        page.AddText("Grants are paid after moving.", 11, new PdfPoint(50, 720), font);

        var doc = DocumentParser.Parse("guide.pdf", builder.Build());

        Assert.Contains("Relocation support guide", doc.Text);
        Assert.Contains("Grants are paid after moving.", doc.Text);
    }

    [Fact]
    public void Content_hash_is_sha256_of_the_raw_bytes()
    {
        var bytes = Encoding.UTF8.GetBytes("移住  の\n手引き");
        var doc = DocumentParser.Parse("a.txt", bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), doc.ContentHash);
    }

    [Fact]
    public void Every_seed_parses_into_sections_with_titles()
    {
        foreach (var file in Directory.EnumerateFiles(Corpus.SeedDirectory, "*.txt"))
        {
            var doc = DocumentParser.Parse(Path.GetFileName(file), File.ReadAllBytes(file));
            Assert.False(string.IsNullOrWhiteSpace(doc.Title));
            Assert.NotEmpty(doc.Sections);
            Assert.All(doc.Sections, s => Assert.InRange(s.Start, 0, s.End));
        }
    }

    [Fact]
    public void An_article_listing_its_sources_links_to_the_first_web_source()
    {
        const string markdown = """
            ---
            title: 移住支援金のしくみ
            as_of: 2025-10-19
            sources:
              - title: 地元の資料
                seed: 004_6f2f10791fb77e46.txt
              - title: 内閣府の案内ページ
                url: https://www.chisou.go.jp/sousei/ijyu_shienkin.html
              - title: 報道
                url: https://news.example.org/a
            ---
            # 移住支援金のしくみ
            世帯の場合は100万円以内です。
            """;
        var document = DocumentParser.Parse("ijushienkin.md", Encoding.UTF8.GetBytes(markdown));
        Assert.Equal("https://www.chisou.go.jp/sousei/ijyu_shienkin.html", document.Metadata.Source);
        Assert.Equal(new DateOnly(2025, 10, 19), document.Metadata.AsOf);
    }

    [Fact]
    public void Front_matter_aliases_and_the_english_title_are_read_as_aliases()
    {
        const string markdown = """
            ---
            title: 区域外就学
            title_en: Out-of-district enrollment
            aliases: [越境入学, 学区外就学]
            ---
            # 区域外就学
            教育委員会に申し出ます。
            """;
        var document = DocumentParser.Parse("kuikigai.md", Encoding.UTF8.GetBytes(markdown));
        Assert.Equal(["越境入学", "学区外就学", "Out-of-district enrollment"], document.Metadata.Aliases);
    }

    [Fact]
    public void Shift_JIS_text_is_read_and_undecodable_bytes_are_refused()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var sjis = Encoding.GetEncoding("shift_jis").GetBytes("空き家バンクの登録は無料です。");
        Assert.Contains("空き家バンク", DocumentParser.Parse("old.txt", sjis).Text);

        Assert.Throws<InvalidDataException>(() => DocumentParser.Parse("bad.txt", [0x82, 0xFF, 0xFF, 0x00, 0x81]));
    }
}
