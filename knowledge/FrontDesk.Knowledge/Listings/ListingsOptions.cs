using System.ComponentModel.DataAnnotations;

namespace FrontDesk.Knowledge.Listings;

public sealed class ListingsOptions
{
    public const string SectionName = "Listings";

    /// <summary>The feeds the import job reads, in order.</summary>
    public List<ListingFeedOptions> Feeds { get; set; } = [];

    /// <summary>Place names with readings and abbreviations; by default knowledge/content/listings/places.tsv, built in.</summary>
    public string? PlacesPath { get; set; }

    /// <summary>Folder of photos served under /listings/photos/.</summary>
    public string PhotosFolder { get; set; } = "../../knowledge/content/listings/photos";

    /// <summary>The public https address of this host, so LINE (which needs absolute https image URLs) can show hosted photos.</summary>
    public string? PublicBaseUrl { get; set; }

    public string ImportCron { get; set; } = "30 4 * * *";
    public bool ImportOnStart { get; set; } = true;

    [Range(1, 200 * 1024 * 1024)]
    public int MaxFeedBytes { get; set; } = 50 * 1024 * 1024;
}

public sealed class ListingFeedOptions
{
    [Required]
    public string Name { get; set; } = "";
    public FeedFormat Format { get; set; } = FeedFormat.Csv;
    /// <summary>A file, relative to the content root; or else <see cref="Url"/>.</summary>
    public string? Path { get; set; }
    public string? Url { get; set; }
    /// <summary>A full feed lists every current listing: the ones it leaves out are closed.</summary>
    public bool Full { get; set; } = true;
    /// <summary>The date the data describes, when the rows do not say (the LINKS snapshot date, say).</summary>
    public DateOnly? AsOf { get; set; }
    public string? Licence { get; set; }
    public string? Attribution { get; set; }
    /// <summary>A page about the data, linked from listings that have no page of their own.</summary>
    public string? SourceUrl { get; set; }

    public string? Problem() =>
        string.IsNullOrWhiteSpace(Path) == string.IsNullOrWhiteSpace(Url) ? $"Listing feed '{Name}' needs exactly one of Path or Url."
        : Url is not null && !(Uri.TryCreate(Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https") ? $"Listing feed '{Name}' has a Url that is not http(s)."
        : null;
}
