using System.Text;
using FrontDesk.Knowledge.Ingestion;

namespace FrontDesk.Knowledge.Tests.Ingestion;

public sealed class ChunkerTests
{
    [Fact]
    public void Passages_stay_within_size_and_overlap_by_one_sentence()
    {
        var body = string.Concat(Enumerable.Range(1, 30).Select(i => $"これは移住支援についての説明文の{i}番目の文であり、内容を確かめるためのものです。"));
        var doc = DocumentParser.Parse("long.md", Encoding.UTF8.GetBytes("# 支援制度\n\n" + body));

        var passages = new Chunker(targetChars: 300, maxChars: 400).Chunk(doc);

        Assert.True(passages.Count > 3);
        Assert.All(passages, p => Assert.InRange(p.Text.Length, 1, 400));
        Assert.All(passages, p => Assert.Equal(["支援制度"], p.HeadingPath.ToArray()));
        Assert.All(passages, p => Assert.Equal(p.Text, doc.Text[p.Start..p.End]));
        for (var i = 1; i < passages.Count; i++)
        {
            var lastSentence = passages[i - 1].Text.Split('。', StringSplitOptions.RemoveEmptyEntries)[^1] + "。";
            Assert.StartsWith(lastSentence, passages[i].Text);
        }
    }

    [Fact]
    public void Passages_end_on_sentence_boundaries_and_keep_their_heading_path()
    {
        var doc = DocumentParser.Parse("000.txt", File.ReadAllBytes(Corpus.Seed("000")));
        var passages = new Chunker().Chunk(doc);

        // Only an over-long run-on "sentence" may be cut elsewhere.
        var aligned = passages.Count(p => p.End == doc.Text.Length || doc.Text[p.End] == '\n' || "。！？!?」)".Contains(doc.Text[p.End - 1]));
        Assert.True(aligned >= passages.Count * 0.95, $"{aligned} of {passages.Count} passages end on a sentence boundary");
        Assert.Contains(passages, p => p.HeadingPath.Count >= 2);
        Assert.Contains(passages, p => p.Text.Contains("空き家バンクの利便性向上"));
    }
}
