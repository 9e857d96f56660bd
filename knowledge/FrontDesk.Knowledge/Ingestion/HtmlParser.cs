using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Ingestion;

internal static class HtmlParser
{
    private static readonly string[] Dropped = ["script", "style", "nav", "noscript", "template", "header nav", "footer", "aside", "form"];
    private static readonly HashSet<string> BlockTags =
        ["P", "LI", "DT", "DD", "TD", "TH", "BLOCKQUOTE", "PRE", "FIGCAPTION", "CAPTION", "H4", "H5", "H6"];

    public static RawDocument Parse(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        foreach (var element in document.QuerySelectorAll(string.Join(',', Dropped)).ToList())
        {
            element.Remove();
        }

        var blocks = new List<TextBlock>();
        var root = document.Body ?? (IElement?)document.DocumentElement;
        if (root is not null)
        {
            Walk(root, blocks);
        }

        var meta = document.QuerySelector("meta[name=publisher]")?.GetAttribute("content")
            ?? document.QuerySelector("meta[name=author]")?.GetAttribute("content");
        var canonical = document.QuerySelector("link[rel=canonical]")?.GetAttribute("href");
        var title = JapaneseText.Normalize(document.Title);
        return new RawDocument(title.Length > 0 ? title : null, new DocumentMetadata(canonical, meta), blocks);
    }

    private static void Walk(IElement element, List<TextBlock> blocks)
    {
        var name = element.TagName;
        if (name is "H1" or "H2" or "H3")
        {
            Add(blocks, element.TextContent, name[1] - '0');
            return;
        }

        if (BlockTags.Contains(name) && !element.Children.Any(c => c.TagName is "P" or "UL" or "OL" or "TABLE" or "DIV"))
        {
            Add(blocks, (name == "LI" ? "・" : string.Empty) + element.TextContent, 0);
            return;
        }

        // Text sitting directly in a container (e.g. a div without <p>) still counts.
        foreach (var node in element.ChildNodes)
        {
            if (node is IElement child)
            {
                Walk(child, blocks);
            }
            else if (node.NodeType == NodeType.Text)
            {
                Add(blocks, node.TextContent, 0);
            }
        }
    }

    private static void Add(List<TextBlock> blocks, string text, int level)
    {
        var clean = JapaneseText.RemoveStraySpaces(JapaneseText.Normalize(text).Replace('\n', ' ')).Trim();
        if (clean.Length > 0)
        {
            blocks.Add(new TextBlock(clean, level));
        }
    }
}
