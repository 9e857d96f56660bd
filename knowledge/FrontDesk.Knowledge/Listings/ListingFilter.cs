using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FrontDesk.Knowledge.Listings;

/// <summary>What a person is looking for. Null or false means "no condition".</summary>
public sealed record ListingFilter
{
    public string? Prefecture { get; init; }
    public string? Municipality { get; init; }
    public Deal? Deal { get; init; }
    public PropertyKind? Kind { get; init; }
    public long? MaxPrice { get; init; }
    public int? MaxRent { get; init; }
    public int? MinRooms { get; init; }
    public int? MaxAgeYears { get; init; }
    public int? MaxWalkMinutes { get; init; }
    public bool Farmland { get; init; }
    public bool ShopSpace { get; init; }
    public bool Parking { get; init; }
    public bool Garden { get; init; }
    public bool Pets { get; init; }
    /// <summary>古民家: a traditional house, taken as built up to 1950 (before the Building Standards Act).</summary>
    public bool OldHouse { get; init; }

    public const int OldHouseLastYear = 1950;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    [JsonIgnore]
    public bool IsEmpty => this == new ListingFilter();

    /// <summary>The conditions of <paramref name="newer"/> replace those it sets; the others stay.</summary>
    public ListingFilter Merge(ListingFilter newer)
    {
        // A new place replaces the whole old one: 「松本市」 after 「山梨県」 is not 山梨県松本市.
        var newPlace = newer.Prefecture is not null || newer.Municipality is not null;
        return new()
        {
            Prefecture = newPlace ? newer.Prefecture : Prefecture,
            Municipality = newPlace ? newer.Municipality : Municipality,
            Deal = newer.Deal ?? Deal,
            Kind = newer.Kind ?? Kind,
            // A budget of the other kind no longer applies once the deal changes.
            MaxPrice = newer.MaxPrice ?? (newer.Deal == Listings.Deal.Rent ? null : MaxPrice),
            MaxRent = newer.MaxRent ?? (newer.Deal == Listings.Deal.Sale ? null : MaxRent),
            MinRooms = newer.MinRooms ?? MinRooms,
            MaxAgeYears = newer.MaxAgeYears ?? MaxAgeYears,
            MaxWalkMinutes = newer.MaxWalkMinutes ?? MaxWalkMinutes,
            Farmland = newer.Farmland || Farmland,
            ShopSpace = newer.ShopSpace || ShopSpace,
            Parking = newer.Parking || Parking,
            Garden = newer.Garden || Garden,
            Pets = newer.Pets || Pets,
            OldHouse = newer.OldHouse || OldHouse,
        };
    }

    /// <summary>「長野県・賃貸・5万円以下」: what the bot understood, in the user's language.</summary>
    public string Describe(string language)
    {
        var en = language == "en";
        var parts = new List<string>();
        if (Prefecture is not null || Municipality is not null)
            parts.Add((Prefecture ?? "") + (Municipality ?? ""));
        if (Deal is { } d)
            parts.Add(d == Listings.Deal.Rent ? (en ? "to rent" : "賃貸") : (en ? "to buy" : "購入"));
        if (Kind is { } k)
            parts.Add(k switch
            {
                PropertyKind.Land => en ? "land" : "土地",
                PropertyKind.Business => en ? "business use" : "事業用",
                _ => en ? "house" : "住宅",
            });
        if (MaxRent is { } rent)
            parts.Add(en ? $"rent up to {Yen(rent, en)} a month" : $"月{Yen(rent, en)}以下");
        if (MaxPrice is { } price)
            parts.Add(en ? $"up to {Yen(price, en)}" : $"{Yen(price, en)}以下");
        if (MinRooms is { } rooms)
            parts.Add(en ? $"{rooms}+ rooms" : $"{rooms}部屋以上");
        if (MaxAgeYears is { } age)
            parts.Add(en ? $"built in the last {age} years" : $"築{age}年以内");
        if (MaxWalkMinutes is { } walk)
            parts.Add(en ? $"within {walk} min walk of a station" : $"駅徒歩{walk}分以内");
        if (OldHouse)
            parts.Add(en ? "traditional house (kominka)" : "古民家");
        if (Farmland)
            parts.Add(en ? "with farmland" : "畑・農地付き");
        if (ShopSpace)
            parts.Add(en ? "with shop space" : "店舗付き");
        if (Parking)
            parts.Add(en ? "parking" : "駐車場あり");
        if (Garden)
            parts.Add(en ? "garden" : "庭あり");
        if (Pets)
            parts.Add(en ? "pets allowed" : "ペット可");
        return parts.Count == 0 ? (en ? "no conditions" : "条件なし") : string.Join(en ? ", " : "・", parts);
    }

    /// <summary>"5万円", "300万円", "1億2000万円" (Japanese) or "¥50,000" (English).</summary>
    public static string Yen(long yen, bool english)
    {
        if (english)
            return "¥" + yen.ToString("N0", CultureInfo.InvariantCulture);
        if (yen >= 100_000_000)
        {
            var oku = yen / 100_000_000;
            var man = yen % 100_000_000 / 10_000;
            return man == 0 ? $"{oku}億円" : $"{oku}億{man}万円";
        }
        if (yen >= 10_000)
        {
            var man = yen / 10_000m;
            return man.ToString(man == Math.Floor(man) ? "0" : "0.#", CultureInfo.InvariantCulture) + "万円";
        }
        return yen.ToString("N0", CultureInfo.InvariantCulture) + "円";
    }
}
