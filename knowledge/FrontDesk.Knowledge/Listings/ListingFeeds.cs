using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace FrontDesk.Knowledge.Listings;

public enum FeedFormat
{
    /// <summary>The national Project LINKS 空き家バンク CSV (MLIT, CC BY 4.0).</summary>
    Links,
    /// <summary>The simple CSV a municipality can write itself (see the README).</summary>
    Csv,
    /// <summary>The same fields as <see cref="Csv"/>, as JSON.</summary>
    Json,
}

/// <summary>Where a feed comes from and what to say about it. Licence and attribution go on every listing it brings.</summary>
public sealed record FeedSource(string Name, FeedFormat Format, DateOnly AsOf, string? Licence = null, string? Attribution = null, string? SourceUrl = null);

public sealed record RejectedRow(int Row, string? SourceId, string Reason);

/// <summary>What a feed held: the rows that make listings, the rows rejected with their reasons, and every id it named.</summary>
public sealed record ParsedFeed(IReadOnlyList<Listing> Listings, IReadOnlyList<RejectedRow> Rejected, IReadOnlyCollection<string> NamedIds);

/// <summary>A feed that cannot be read at all (wrong encoding, wrong header, not JSON); nothing of it is imported.</summary>
public sealed class FeedRejectedException(string reason) : Exception(reason);

/// <summary>Reads feed files into listings, row by row: a malformed row is reported and the others still import.</summary>
public static class ListingFeeds
{
    public const int MaxRows = 200_000;

    public const string LinksAttribution = "出典: 国土交通省 Project LINKS「空き家バンク（2025年度）」（CC BY 4.0）を加工して作成";
    public const string LinksLicence = "CC BY 4.0";

    static readonly string[] LinksRequired = ["PROPERTY_CATEGORY", "PREFECTURE", "CITY", "AMOUNT/RENT"];
    static readonly string[] FeedRequired = ["id", "category", "prefecture", "municipality"];

    public static ParsedFeed Parse(FeedSource source, byte[] bytes) => source.Format switch
    {
        FeedFormat.Links => ParseCsv(source, Decode(bytes), LinksRow, LinksRequired, header => header.Contains("PROPERTY_NUMBER_ID") || header.Contains("ID")
            ? null : "the header has neither PROPERTY_NUMBER_ID nor ID"),
        FeedFormat.Csv => ParseCsv(source, Decode(bytes), FeedRow, FeedRequired, _ => null),
        FeedFormat.Json => ParseJson(source, Decode(bytes)),
        _ => throw new FeedRejectedException($"unknown feed format {source.Format}"),
    };

    /// <summary>UTF-8, with or without BOM. Anything else (Shift_JIS is the usual suspect) is refused rather than garbled.</summary>
    static string Decode(byte[] bytes)
    {
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            throw new FeedRejectedException("the file is not UTF-8 (Shift_JIS?); save it as UTF-8 and import again");
        }
    }

    static ParsedFeed ParseCsv(FeedSource source, string text, Func<FeedSource, Row, Listing> read, string[] required, Func<HashSet<string>, string?> headerCheck)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectColumnCountChanges = false,
            BadDataFound = null,
            MissingFieldFound = null,
            TrimOptions = TrimOptions.None,
        };
        using var csv = new CsvReader(new StringReader(text), config);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
            throw new FeedRejectedException("the file is empty");
        var columns = header.Select(h => h.Trim()).ToArray();
        var known = columns.ToHashSet(StringComparer.Ordinal);
        var missing = required.Where(r => !known.Contains(r)).ToList();
        if (missing.Count > 0)
            throw new FeedRejectedException($"wrong header: missing column(s) {string.Join(", ", missing)}");
        if (headerCheck(known) is { } problem)
            throw new FeedRejectedException("wrong header: " + problem);

        var listings = new List<Listing>();
        var rejected = new List<RejectedRow>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        var row = 1;
        while (csv.Read())
        {
            row++;
            if (row > MaxRows + 1)
                throw new FeedRejectedException($"more than {MaxRows} rows");
            var record = csv.Parser.Record ?? [];
            if (record.All(string.IsNullOrWhiteSpace))
                continue;
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < columns.Length; i++)
                values[columns[i]] = i < record.Length ? record[i] : null;
            Accept(source, new Row(values, csv.Parser.Row, record.Length != columns.Length), read, listings, rejected, ids, accepted);
        }
        return new ParsedFeed(listings, rejected, ids);
    }

    static ParsedFeed ParseJson(FeedSource source, string text)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new FeedRejectedException($"not valid JSON: {e.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("listings", out var items) || items.ValueKind != JsonValueKind.Array)
                throw new FeedRejectedException("the JSON needs an object with a \"listings\" array");
            if (items.GetArrayLength() > MaxRows)
                throw new FeedRejectedException($"more than {MaxRows} listings");
            var listings = new List<Listing>();
            var rejected = new List<RejectedRow>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var accepted = new HashSet<string>(StringComparer.Ordinal);
            var n = 0;
            foreach (var item in items.EnumerateArray())
            {
                n++;
                if (item.ValueKind != JsonValueKind.Object)
                {
                    rejected.Add(new RejectedRow(n, null, "not an object"));
                    continue;
                }
                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var p in item.EnumerateObject())
                    values[p.Name] = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString(),
                        JsonValueKind.Number => p.Value.GetRawText(),
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        JsonValueKind.Array => string.Join('|', p.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
                        _ => null,
                    };
                Accept(source, new Row(values, n, false), FeedRow, listings, rejected, ids, accepted);
            }
            return new ParsedFeed(listings, rejected, ids);
        }
    }

    static void Accept(FeedSource source, Row row, Func<FeedSource, Row, Listing> read, List<Listing> listings, List<RejectedRow> rejected, HashSet<string> ids, HashSet<string> accepted)
    {
        var id = row.Id;
        if (id is not null)
            ids.Add(id);
        try
        {
            if (row.Ragged)
                throw new RowException("the number of fields differs from the header");
            var listing = read(source, row);
            if (!accepted.Add(listing.SourceId))
                throw new RowException($"id {listing.SourceId} appears twice");
            listings.Add(listing);
        }
        catch (RowException e)
        {
            rejected.Add(new RejectedRow(row.Number, id, e.Message));
        }
    }

    static Listing LinksRow(FeedSource source, Row row)
    {
        var (deal, kind) = Category(row.Required("PROPERTY_CATEGORY"));
        var amount = row.Yen("AMOUNT/RENT");
        var distance = row.Text("DISTANCE_TO_NEAREST_STATION_ON_FOOT");
        // The contract file (成約物件) carries a contract date: its listings are closed deals.
        var status = row.Has("CONTRACT_INFO_DATE") ? ListingStatus.Closed : ListingStatus.Open;
        return Checked(new Listing
        {
            Source = source.Name,
            SourceId = row.Id ?? throw new RowException("no id"),
            Deal = deal,
            Kind = kind,
            Prefecture = row.Required("PREFECTURE"),
            Municipality = row.Required("CITY"),
            PriceYen = deal == Deal.Sale ? Positive(amount) : null,
            RentYen = deal == Deal.Rent ? RentOf(amount) : null,
            Layout = row.Text("LAYOUT"),
            FloorAreaM2 = row.Area("OCCUPATION_AREA"),
            LotAreaM2 = row.Area("SIZE_OF_LOT"),
            YearBuilt = row.Year("DATE_OF_CONSTRUCTION"),
            Structure = row.Text("CONSTRUCTION"),
            TrainLine = row.Text("NEAREST_TRAIN_LINE"),
            Station = row.Text("NEAREST_STATION"),
            StationDistance = distance,
            WalkMinutes = ListingValues.WalkMinutes(distance),
            Farmland = row.Flag("FARMLAND"),
            ShopSpace = row.Flag("RETAIL_PREMISES"),
            Parking = row.Flag("PARKING"),
            Garden = row.Flag("GARDEN"),
            PrText = row.Text("STRONG_POINTS"),
            Status = status,
            SourceUrl = row.Text("URL") ?? source.SourceUrl,
            AsOf = source.AsOf,
            Licence = source.Licence ?? LinksLicence,
            Attribution = source.Attribution ?? LinksAttribution,
            Synthetic = row.Flag("SYNTHETIC") == true,
        });
    }

    static Listing FeedRow(FeedSource source, Row row)
    {
        var (deal, kind) = Category(row.Required("category"));
        var price = row.Yen("price_yen");
        var rent = row.Yen("rent_yen");
        if (deal == Deal.Sale && rent is > 0)
            throw new RowException("rent_yen is given for a sale");
        if (deal == Deal.Rent && price is > 0)
            throw new RowException("price_yen is given for a rental");
        var walk = row.Text("walk_minutes");
        return Checked(new Listing
        {
            Source = source.Name,
            SourceId = row.Id ?? throw new RowException("no id"),
            Deal = deal,
            Kind = kind,
            Prefecture = row.Required("prefecture"),
            Municipality = row.Required("municipality"),
            PriceYen = deal == Deal.Sale ? Positive(price) : null,
            RentYen = deal == Deal.Rent ? RentOf(rent) : null,
            Layout = row.Text("layout"),
            FloorAreaM2 = row.Area("floor_area_m2"),
            LotAreaM2 = row.Area("lot_area_m2"),
            YearBuilt = row.Year("year_built"),
            Structure = row.Text("structure"),
            TrainLine = row.Text("line"),
            Station = row.Text("station"),
            StationDistance = walk,
            WalkMinutes = walk is null ? null : ListingValues.WalkMinutes(walk) ?? throw new RowException($"walk_minutes \"{Short(walk)}\" is not a number of minutes"),
            Farmland = row.Flag("farmland"),
            ShopSpace = row.Flag("shop"),
            Parking = row.Flag("parking"),
            Garden = row.Flag("garden"),
            Pets = row.Flag("pets"),
            Photos = (row.Text("photos") ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Photo).ToList(),
            PrText = row.Text("pr"),
            Status = StatusOf(row.Text("status")),
            SourceUrl = Url(row.Text("url")) ?? source.SourceUrl,
            AsOf = row.Text("as_of") is { } d ? DateOf(d) : source.AsOf,
            Licence = source.Licence,
            Attribution = source.Attribution,
            Synthetic = row.Flag("synthetic") == true,
        });
    }

    static Listing Checked(Listing l)
    {
        if (l.Prefecture.Length > 10 || l.Municipality.Length > 40)
            throw new RowException("prefecture or municipality is too long");
        if (l.SourceId.Length > 100)
            throw new RowException("id is longer than 100 characters");
        if (l.PrText is { Length: > 4000 })
            throw new RowException("pr text is longer than 4,000 characters");
        if (l.PriceYen > 100_000_000_000)
            throw new RowException($"price {l.PriceYen} yen is not plausible");
        if (l.Photos.Count > 20)
            throw new RowException("more than 20 photos");
        return l;
    }

    static (Deal, PropertyKind) Category(string text) => ListingValues.Fold(text).ToLowerInvariant() switch
    {
        "売買居住用" or "sale-residential" => (Deal.Sale, PropertyKind.Residential),
        "売買土地" or "sale-land" => (Deal.Sale, PropertyKind.Land),
        "売買事業用" or "sale-business" => (Deal.Sale, PropertyKind.Business),
        "賃貸居住用" or "rent-residential" => (Deal.Rent, PropertyKind.Residential),
        "賃貸土地" or "rent-land" => (Deal.Rent, PropertyKind.Land),
        "賃貸事業用" or "rent-business" => (Deal.Rent, PropertyKind.Business),
        var other => throw new RowException($"unknown category \"{Short(other)}\""),
    };

    static ListingStatus StatusOf(string? text) => ListingValues.Fold(text).ToLowerInvariant() switch
    {
        "" or "open" or "募集中" => ListingStatus.Open,
        "negotiating" or "商談中" => ListingStatus.Negotiating,
        "closed" or "成約" or "成約済" or "成約済み" => ListingStatus.Closed,
        var other => throw new RowException($"unknown status \"{Short(other)}\""),
    };

    static long? Positive(long? yen) => yen is > 0 ? yen : null;

    static int? RentOf(long? yen) => yen switch
    {
        null or 0 => null,
        > 10_000_000 => throw new RowException($"monthly rent {yen} yen is not plausible"),
        _ => (int)yen,
    };

    static DateOnly DateOf(string text) =>
        DateOnly.TryParseExact(ListingValues.Fold(text), ["yyyy-MM-dd", "yyyy/M/d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new RowException($"as_of \"{Short(text)}\" is not a date (YYYY-MM-DD)");

    static string? Url(string? text) => text is null ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var u) && u.Scheme is "https" or "http" ? text
        : throw new RowException($"url \"{Short(text)}\" is not an http(s) address");

    /// <summary>A photo is an http(s) address or a file name served under /listings/photos/.</summary>
    static string Photo(string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var u) && u.Scheme is "https" or "http")
            return text;
        if (ListingPhotos.IsValidName(text))
            return ListingPhotos.PathPrefix + text;
        throw new RowException($"photo \"{Short(text)}\" is neither an http(s) address nor a photo file name");
    }

    static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";

    sealed class RowException(string message) : Exception(message);

    sealed class Row(Dictionary<string, string?> values, int number, bool ragged)
    {
        public int Number => number;
        public bool Ragged => ragged;
        public string? Id => Text("id") ?? Text("PROPERTY_NUMBER_ID") ?? Text("ID");
        public bool Has(string column) => values.ContainsKey(column);

        public string? Text(string column) =>
            values.TryGetValue(column, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim().Replace("\r\n", "\n") : null;

        public string Required(string column) => Text(column) ?? throw new RowException($"{column} is empty");

        public long? Yen(string column) =>
            ListingValues.TryYen(Text(column), out var yen) ? yen : throw new RowException($"{column} \"{Short(Text(column)!)}\" is not an amount of yen");

        public double? Area(string column) =>
            ListingValues.TryArea(Text(column), out var area) ? area : throw new RowException($"{column} \"{Short(Text(column)!)}\" is not an area in ㎡");

        public int? Year(string column) =>
            ListingValues.TryYear(Text(column), out var year) ? year : throw new RowException($"{column} \"{Short(Text(column)!)}\" is not a year");

        public bool? Flag(string column) =>
            ListingValues.TryFlag(Text(column), out var flag) ? flag : throw new RowException($"{column} \"{Short(Text(column)!)}\" is not yes/no (有り/無し)");
    }
}
