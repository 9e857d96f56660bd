using System.Security.Cryptography;
using System.Text;
using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Ingestion;

public static class DocumentParser
{
    public static readonly IReadOnlySet<string> SupportedExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".txt", ".md", ".markdown", ".html", ".htm", ".pdf" };

    public static bool IsSupported(string path) => SupportedExtensions.Contains(Path.GetExtension(path));

    public static async Task<ParsedDocument> ParseFileAsync(string path, CancellationToken ct)
    {
        var bytes = await File.ReadAllBytesAsync(path, ct);
        return Parse(Path.GetFileName(path), bytes, path);
    }

    // id names the document (usually its file name); source is where a reader can find it.
    public static ParsedDocument Parse(string id, byte[] content, string? source = null)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var extension = Path.GetExtension(id).ToLowerInvariant();
        var parsed = extension switch
        {
            ".md" or ".markdown" => MarkdownParser.Parse(Decode(content)),
            ".html" or ".htm" => HtmlParser.Parse(Decode(content)),
            ".pdf" => new RawDocument(null, new DocumentMetadata(), PdfText.Blocks(PdfExtractor.ExtractText(content))),
            _ => new RawDocument(null, new DocumentMetadata(), PdfText.Blocks(Decode(content))),
        };

        var metadata = parsed.Metadata with { Source = parsed.Metadata.Source ?? source ?? id };
        var (text, sections) = Assemble(parsed.Blocks);
        var title = FirstNonEmpty(parsed.Title, parsed.Blocks.FirstOrDefault(b => b.IsHeading).Text,
            parsed.Blocks.FirstOrDefault().Text, Path.GetFileNameWithoutExtension(id));
        return new ParsedDocument(id, Truncate(CleanTitle(title), 120), metadata, hash, text, sections);
    }

    private static string FirstNonEmpty(params string?[] candidates) =>
        candidates.First(c => !string.IsNullOrWhiteSpace(c))!;

    // A title taken from the first heading drops its number ("11 二拠点居住等の推進について").
    private static string CleanTitle(string title)
    {
        var clean = JapaneseText.Normalize(title).Trim();
        var number = 0;
        while (number < clean.Length && char.IsAsciiDigit(clean[number]))
        {
            number++;
        }

        return number is > 0 and <= 3 && number < clean.Length && clean[number] == ' ' ? clean[(number + 1)..] : clean;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private static string Decode(byte[] content)
    {
        // Strict UTF-8 first; Japanese files from older systems are often Shift_JIS. Anything else is refused
        // rather than ingested as mojibake.
        try
        {
            return new UTF8Encoding(false, true).GetString(content).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            try
            {
                return ShiftJis.Value.GetString(content);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException("the text is neither UTF-8 nor Shift_JIS");
            }
        }
    }

    private static readonly Lazy<Encoding> ShiftJis = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("shift_jis", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    });

    // Heading blocks open sections; the heading path is the stack of enclosing headings.
    private static (string Text, List<DocumentSection> Sections) Assemble(IReadOnlyList<TextBlock> blocks)
    {
        var sb = new StringBuilder();
        var sections = new List<DocumentSection>();
        var stack = new List<(int Level, string Text)>();
        var bodyStart = -1;

        void Close()
        {
            if (bodyStart >= 0 && sb.Length > bodyStart)
            {
                var end = sb.Length;
                while (end > bodyStart && sb[end - 1] == '\n')
                {
                    end--;
                }

                if (end > bodyStart)
                {
                    sections.Add(new DocumentSection(stack.Select(s => s.Text).ToList(), bodyStart, end));
                }
            }

            bodyStart = -1;
        }

        foreach (var block in blocks)
        {
            if (block.IsHeading)
            {
                Close();
                stack.RemoveAll(s => s.Level >= block.HeadingLevel);
                stack.Add((block.HeadingLevel, block.Text));
                sb.Append(block.Text).Append('\n');
                continue;
            }

            if (bodyStart < 0)
            {
                bodyStart = sb.Length;
            }

            sb.Append(block.Text).Append('\n');
        }

        Close();
        return (sb.ToString().TrimEnd('\n'), sections);
    }
}

internal sealed record RawDocument(string? Title, DocumentMetadata Metadata, IReadOnlyList<TextBlock> Blocks);
