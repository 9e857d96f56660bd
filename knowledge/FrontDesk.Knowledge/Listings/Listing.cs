using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FrontDesk.Knowledge.Listings;

[JsonConverter(typeof(JsonStringEnumConverter<Deal>))]
public enum Deal { Sale, Rent }

[JsonConverter(typeof(JsonStringEnumConverter<PropertyKind>))]
public enum PropertyKind { Residential, Land, Business }

[JsonConverter(typeof(JsonStringEnumConverter<ListingStatus>))]
public enum ListingStatus { Open, Negotiating, Closed }

/// <summary>One vacant-house bank listing as a feed describes it. Null means the feed did not say (or 応談 for money).</summary>
public sealed record Listing
{
    public required string Source { get; init; }
    public required string SourceId { get; init; }
    public required Deal Deal { get; init; }
    public required PropertyKind Kind { get; init; }
    public required string Prefecture { get; init; }
    public required string Municipality { get; init; }
    public long? PriceYen { get; init; }
    public int? RentYen { get; init; }
    public string? Layout { get; init; }
    public double? FloorAreaM2 { get; init; }
    public double? LotAreaM2 { get; init; }
    public int? YearBuilt { get; init; }
    public string? Structure { get; init; }
    public string? TrainLine { get; init; }
    public string? Station { get; init; }
    public int? WalkMinutes { get; init; }
    /// <summary>The distance to the station as the feed wrote it (free text in the LINKS data).</summary>
    public string? StationDistance { get; init; }
    public bool? Farmland { get; init; }
    public bool? ShopSpace { get; init; }
    public bool? Parking { get; init; }
    public bool? Garden { get; init; }
    public bool? Pets { get; init; }
    public IReadOnlyList<string> Photos { get; init; } = [];
    public string? PrText { get; init; }
    public ListingStatus Status { get; init; } = ListingStatus.Open;
    public string? SourceUrl { get; init; }
    public required DateOnly AsOf { get; init; }
    public string? Licence { get; init; }
    public string? Attribution { get; init; }
    public bool Synthetic { get; init; }

    /// <summary>Rooms counted from the layout ("4SLDK" is 4), for 「3LDK以上」.</summary>
    public int? Rooms => ListingValues.RoomsOf(Layout);

    static readonly JsonSerializerOptions HashJson = new() { WriteIndented = false };

    /// <summary>A fingerprint of everything the feed said, so an unchanged row is no work on re-import.</summary>
    public string ContentHash() => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, HashJson))))[..32];
}

/// <summary>A listing as stored: the feed's data plus the database id.</summary>
public sealed record StoredListing(long Id, Listing Listing);
