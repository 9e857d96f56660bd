using System.ComponentModel.DataAnnotations;
using FrontDesk.Knowledge.Answers;
using FrontDesk.Knowledge.Search;
using FrontDesk.Knowledge.Text;

namespace FrontDesk.Knowledge.Documents;

public sealed class KnowledgeOptions
{
    public const string SectionName = "Knowledge";

    /// <summary>Where documents come from; relative folders are resolved against the host's content root.</summary>
    public List<KnowledgeSourceOptions> Sources { get; set; } = [];

    /// <summary>Domain synonyms (one group per line); when empty, knowledge/content/synonyms.txt is looked for upwards.</summary>
    public string? SynonymsPath { get; set; }

    /// <summary>How often a host checks whether the passages changed and its index must be rebuilt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan IndexPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Answers below this confidence are declined with an offer of a coordinator (calibrated on the dev set).</summary>
    [Range(0.0, 1.0)]
    public double DeclineThreshold { get; set; } = AnswerOptions.DefaultDeclineThreshold;

    /// <summary>Refresh the sources once when a host starts (demo content on a fresh database).</summary>
    public bool RefreshOnStart { get; set; } = true;

    /// <summary>Schedule of the refresh job, in Asia/Tokyo.</summary>
    public string RefreshCron { get; set; } = "0 4 * * *";

    /// <summary>Index fields searched: character bigrams, MeCab lemmas, or both fused (bigrams only when MeCab is missing).</summary>
    public SearchFields Fields { get; set; } = SearchFields.Fused;

    /// <summary>The libmecab shared library (a name the loader finds, or a path).</summary>
    [Required]
    public string MeCabLibrary { get; set; } = MeCabOptions.DefaultLibrary;

    /// <summary>The MeCab dictionary folder (IPADIC in UTF-8).</summary>
    [Required]
    public string MeCabDictionary { get; set; } = MeCabOptions.DefaultDictionary;

    /// <summary>Largest document a source may deliver.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxDocumentBytes { get; set; } = 20 * 1024 * 1024;
}

public sealed class KnowledgeSourceOptions : IValidatableObject
{
    [Required, RegularExpression("^[a-z0-9][a-z0-9_-]{0,62}$")]
    public string Name { get; set; } = "";

    /// <summary>Every supported file (.md, .txt, .html, .pdf) in this folder and below.</summary>
    public string? Folder { get; set; }

    /// <summary>One document fetched over HTTP with conditional GET.</summary>
    public string? Url { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Problem() is { } problem)
            yield return new ValidationResult(problem);
    }

    /// <summary>Why this source cannot be used, or null when it can.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Folder) == string.IsNullOrWhiteSpace(Url))
            return $"Knowledge source '{Name}' needs exactly one of Folder or Url.";
        if (!string.IsNullOrWhiteSpace(Url) && !(Uri.TryCreate(Url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            return $"Knowledge source '{Name}' has an invalid Url.";
        return null;
    }
}
