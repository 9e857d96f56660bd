namespace FrontDesk.Knowledge.Ingestion;

// Aliases: other names, spellings and common misspellings of the article's topic (front matter
// `aliases`, plus `title_en`); search reads them with the title, never quotes them.
public sealed record DocumentMetadata(
    string? Source = null,
    string? Publisher = null,
    DateOnly? AsOf = null,
    int? FiscalYear = null,
    IReadOnlyList<string>? Aliases = null);

// Start/End index the document's Text; a section covers its body, not its heading line.
public sealed record DocumentSection(IReadOnlyList<string> HeadingPath, int Start, int End)
{
    public string Heading => HeadingPath.Count > 0 ? HeadingPath[^1] : string.Empty;
}

public sealed record ParsedDocument(
    string Id,
    string Title,
    DocumentMetadata Metadata,
    string ContentHash,
    string Text,
    IReadOnlyList<DocumentSection> Sections)
{
    public string SectionText(DocumentSection section) => Text[section.Start..section.End];
}
