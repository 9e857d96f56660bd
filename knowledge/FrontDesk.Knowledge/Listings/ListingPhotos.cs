using System.Text.RegularExpressions;

namespace FrontDesk.Knowledge.Listings;

/// <summary>Listing photos the host serves itself (placeholders for the sample feeds, or a municipality's uploads).</summary>
public static partial class ListingPhotos
{
    public const string PathPrefix = "/listings/photos/";

    public static bool IsValidName(string name) => PhotoName().IsMatch(name);

    public static string? ContentType(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".svg" => "image/svg+xml",
        _ => null,
    };

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,60}\.(png|jpg|jpeg|svg)$")]
    private static partial Regex PhotoName();
}
