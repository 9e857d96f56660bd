using System.Globalization;
using System.Text;
using FrontDesk.Knowledge.Text;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FrontDesk.Knowledge.Ingestion;

internal static class MarkdownParser
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePipeTables().Build();

    public static RawDocument Parse(string markdown)
    {
        var ast = Markdown.Parse(markdown, Pipeline);
        var front = ast.Descendants<YamlFrontMatterBlock>().FirstOrDefault();
        var aliases = new List<string>();
        var fields = front is null ? [] : ReadFrontMatter(front.Lines.ToString(), aliases);

        var blocks = new List<TextBlock>();
        foreach (var leaf in ast.Descendants<LeafBlock>())
        {
            if (leaf is YamlFrontMatterBlock)
            {
                continue;
            }

            var text = leaf.Inline is null ? leaf.Lines.ToString() : InlineText(leaf.Inline);
            text = JapaneseText.RemoveStraySpaces(JapaneseText.Normalize(text)).Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (leaf is HeadingBlock heading)
            {
                blocks.Add(new TextBlock(text, heading.Level));
            }
            else
            {
                var bullet = leaf.Parent is ListItemBlock item ? Bullet(item) : string.Empty;
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    blocks.Add(new TextBlock(bullet + line, 0));
                }
            }
        }

        var metadata = new DocumentMetadata(
            Field(fields, "source", "url", "sources.url"),
            Field(fields, "publisher"),
            ParseDate(Field(fields, "as_of", "asof", "date")),
            int.TryParse(Field(fields, "fiscal_year"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var fy) ? fy : null,
            Field(fields, "title_en") is { } english ? [.. aliases, english] : aliases.Count > 0 ? aliases : null);
        return new RawDocument(Field(fields, "title"), metadata, blocks);
    }

    // "・" or the item's number ("1."), with a full-width space per level of nesting, so a nested
    // list keeps its shape when quoted.
    private static string Bullet(ListItemBlock item)
    {
        var depth = 0;
        for (var parent = item.Parent?.Parent; parent is not null; parent = parent.Parent)
        {
            depth += parent is ListItemBlock ? 1 : 0;
        }

        var marker = item.Parent is ListBlock { IsOrdered: true } ? item.Order.ToString(CultureInfo.InvariantCulture) + "." : "・";
        return new string('\u3000', depth) + marker;
    }

    private static Dictionary<string, string> ReadFrontMatter(string yaml, List<string> aliases)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // Markdig keeps the --- fences in the block's lines.
        var body = string.Join('\n', yaml.Split('\n').Where(l => l.TrimEnd() != "---"));
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(body));
            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode map)
            {
                foreach (var (key, value) in map.Children)
                {
                    if (key is YamlScalarNode k && value is YamlScalarNode v && k.Value is not null && v.Value is not null)
                    {
                        fields[k.Value] = v.Value;
                    }
                    else if (key is YamlScalarNode { Value: "aliases" } && value is YamlSequenceNode names)
                    {
                        aliases.AddRange(names.Children.OfType<YamlScalarNode>().Select(n => JapaneseText.Normalize(n.Value ?? string.Empty).Trim())
                            .Where(n => n.Length > 0));
                    }
                    else if (key is YamlScalarNode { Value: "sources" } && value is YamlSequenceNode list)
                    {
                        // The first listed source with a web address is the one a citation links to.
                        var url = list.Children.OfType<YamlMappingNode>()
                            .Select(m => m.Children.TryGetValue(new YamlScalarNode("url"), out var u) ? (u as YamlScalarNode)?.Value : null)
                            .FirstOrDefault(u => Uri.TryCreate(u, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https");
                        if (url is not null)
                        {
                            fields["sources.url"] = url;
                        }
                    }
                }
            }
        }
        catch (YamlException)
        {
            // A broken header should not lose the article; it is parsed without metadata.
            return fields;
        }

        return fields;
    }

    private static string? Field(Dictionary<string, string> fields, params string[] names) =>
        names.Select(n => fields.GetValueOrDefault(n)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static DateOnly? ParseDate(string? value) =>
        value is not null && DateOnly.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : value is not null && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt) ? DateOnly.FromDateTime(dt)
        : null;

    private static string InlineText(ContainerInline inline)
    {
        var sb = new StringBuilder();
        foreach (var node in inline.Descendants())
        {
            switch (node)
            {
                case LiteralInline literal:
                    sb.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    sb.Append(code.Content);
                    break;
                case LineBreakInline { IsHard: true }:
                    sb.Append('\n');
                    break;
                case LineBreakInline:
                    // A soft break is only source wrapping; RemoveStraySpaces drops it between CJK.
                    sb.Append(' ');
                    break;
            }
        }

        return sb.ToString();
    }
}
