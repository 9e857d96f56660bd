using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Ingestion;

public sealed record Passage(
    string Id,
    string DocumentId,
    string DocumentTitle,
    IReadOnlyList<string> HeadingPath,
    string Text,
    int Start,
    int End,
    DocumentMetadata Metadata)
{
    public string Heading => HeadingPath.Count > 0 ? HeadingPath[^1] : string.Empty;
}

// Passages follow the headings and end on sentence boundaries; consecutive windows share one
// sentence so an answer spanning a boundary is still found whole in one passage.
public sealed class Chunker(int targetChars = 400, int maxChars = 500, int minChars = 150)
{
    public List<Passage> Chunk(ParsedDocument document)
    {
        var units = Units(document);
        var passages = new List<Passage>();
        var i = 0;
        while (i < units.Count)
        {
            var last = i;
            var crossedSection = false;
            while (last + 1 < units.Count)
            {
                var next = units[last + 1];
                var length = next.Span.End - units[i].Span.Start;
                var current = units[last].Span.End - units[i].Span.Start;
                var sameSection = next.Section == units[last].Section;
                if (length > maxChars || (current >= targetChars) || (!sameSection && current >= minChars))
                {
                    crossedSection = !sameSection;
                    break;
                }

                last++;
            }

            var start = units[i].Span.Start;
            var end = units[last].Span.End;
            var section = document.Sections[units[i].Section];
            passages.Add(new Passage($"{document.Id}#{passages.Count}", document.Id, document.Title, section.HeadingPath,
                document.Text[start..end], start, end, document.Metadata));

            i = last + 1 >= units.Count ? units.Count
                : last > i && !crossedSection ? last
                : last + 1;
        }

        return passages;
    }

    private List<(Span Span, int Section)> Units(ParsedDocument document)
    {
        var units = new List<(Span, int)>();
        for (var s = 0; s < document.Sections.Count; s++)
        {
            var section = document.Sections[s];
            foreach (var sentence in Sentences.Split(document.SectionText(section)))
            {
                var span = new Span(section.Start + sentence.Start, section.Start + sentence.End);
                foreach (var piece in Pieces(document.Text, span))
                {
                    units.Add((piece, s));
                }
            }
        }

        return units;
    }

    // A "sentence" longer than a passage (tables, run-on lists) is cut, preferring a comma.
    private IEnumerable<Span> Pieces(string text, Span span)
    {
        var start = span.Start;
        while (span.End - start > maxChars)
        {
            var cut = text.LastIndexOfAny(['、', ',', ' ', '・'], start + targetChars, targetChars / 2);
            var end = cut > start ? cut + 1 : start + targetChars;
            yield return new Span(start, end);
            start = end;
        }

        yield return new Span(start, span.End);
    }
}
