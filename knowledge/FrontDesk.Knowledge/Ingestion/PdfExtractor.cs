using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace FrontDesk.Knowledge.Ingestion;

internal static class PdfExtractor
{
    // Pages are separated by form feeds so running headers and footers can be recognised per page.
    public static string ExtractText(byte[] content)
    {
        using var pdf = PdfDocument.Open(content);
        var sb = new StringBuilder();
        foreach (var page in pdf.GetPages())
        {
            if (sb.Length > 0)
            {
                sb.Append('\f');
            }

            sb.Append(ContentOrderTextExtractor.GetText(page));
        }

        return sb.ToString();
    }
}
