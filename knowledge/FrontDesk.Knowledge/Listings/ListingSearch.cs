using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace FrontDesk.Knowledge.Listings;

public sealed record ListingPage(int Total, IReadOnlyList<StoredListing> Items);

/// <summary>Finds listings that are still on offer (募集中 first, then 商談中), newest information first.</summary>
public sealed class ListingSearch(NpgsqlDataSource db, TimeProvider time)
{
    static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    public async Task<ListingPage> SearchAsync(ListingFilter filter, int offset, int limit, CancellationToken ct)
    {
        var where = new StringBuilder("status <> 'closed'");
        var parameters = new List<NpgsqlParameter>();
        void Add(string condition, string name, object value, NpgsqlDbType type)
        {
            where.Append(" and ").Append(condition);
            parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        }
        if (filter.Prefecture is { } pref)
            Add("prefecture = @pref", "pref", pref, NpgsqlDbType.Text);
        if (filter.Municipality is { } city)
            Add("municipality = @city", "city", city, NpgsqlDbType.Text);
        if (filter.Deal is { } deal)
            Add("deal = @deal", "deal", deal == Deal.Sale ? "sale" : "rent", NpgsqlDbType.Text);
        if (filter.Kind is { } kind)
            Add("kind = @kind", "kind", kind.ToString().ToLowerInvariant(), NpgsqlDbType.Text);
        // 応談 (no price shown) stays out of a budget search: we cannot say it fits.
        if (filter.MaxPrice is { } price)
            Add("price_yen <= @price", "price", price, NpgsqlDbType.Bigint);
        if (filter.MaxRent is { } rent)
            Add("rent_yen <= @rent", "rent", rent, NpgsqlDbType.Integer);
        if (filter.MinRooms is { } rooms)
            Add("rooms >= @rooms", "rooms", (short)rooms, NpgsqlDbType.Smallint);
        if (filter.MaxAgeYears is { } age)
            Add("year_built >= @built", "built", (short)(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Tokyo).Year - age), NpgsqlDbType.Smallint);
        if (filter.MaxWalkMinutes is { } walk)
            Add("walk_minutes <= @walk", "walk", (short)walk, NpgsqlDbType.Smallint);
        if (filter.OldHouse)
            Add("(year_built <= @old or pr_text like '%古民家%')", "old", (short)ListingFilter.OldHouseLastYear, NpgsqlDbType.Smallint);
        if (filter.Farmland)
            where.Append(" and farmland");
        if (filter.ShopSpace)
            where.Append(" and shop_space");
        if (filter.Parking)
            where.Append(" and parking");
        if (filter.Garden)
            where.Append(" and garden");
        if (filter.Pets)
            where.Append(" and pets");

        // Newest information first, which the partial index serves without sorting every match.
        var items = new List<StoredListing>();
        limit = Math.Clamp(limit, 1, 50);
        offset = Math.Max(0, offset);
        await using (var page = db.CreateCommand($"""
            select {Columns} from listings.listings where {where}
            order by as_of desc, id desc offset @offset limit @limit
            """))
        {
            page.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            page.Parameters.AddWithValue("offset", offset);
            page.Parameters.AddWithValue("limit", limit);
            await using var reader = await page.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                items.Add(Read(reader));
        }
        // A short page is the last one and tells the total itself; only a full page (or one past the end) needs a
        // count, which stops at CountCap so a broad search costs no more than a narrow one.
        if (items.Count > 0 && items.Count < limit || items.Count == 0 && offset == 0)
            return new ListingPage(offset + items.Count, items);
        await using var count = db.CreateCommand($"select count(*) from (select from listings.listings where {where} limit {CountCap}) matches");
        count.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        return new ListingPage((int)(long)(await count.ExecuteScalarAsync(ct))!, items);
    }

    /// <summary>Counts stop here: 「1000件以上」 is all a person needs to know.</summary>
    public const int CountCap = 1000;

    public async Task<StoredListing?> GetAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"select {Columns} from listings.listings where id = @id");
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>Prefectures that have listings on offer, most first: the choices when a request names no place.</summary>
    public async Task<IReadOnlyList<string>> PrefecturesAsync(int max, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select prefecture from listings.listings where status <> 'closed'
            group by prefecture order by count(*) desc, prefecture limit @max
            """);
        cmd.Parameters.AddWithValue("max", max);
        var list = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(reader.GetString(0));
        return list;
    }

    const string Columns = """
        id, source, source_id, deal, kind, prefecture, municipality, price_yen, rent_yen, layout, floor_area_m2, lot_area_m2,
        year_built, structure, train_line, station, walk_minutes, station_distance, farmland, shop_space, parking, garden, pets,
        photos, pr_text, status, source_url, as_of, licence, attribution, synthetic
        """;

    static StoredListing Read(NpgsqlDataReader r)
    {
        T? N<T>(int i) where T : struct => r.IsDBNull(i) ? null : r.GetFieldValue<T>(i);
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new StoredListing(r.GetInt64(0), new Listing
        {
            Source = r.GetString(1),
            SourceId = r.GetString(2),
            Deal = r.GetString(3) == "sale" ? Deal.Sale : Deal.Rent,
            Kind = Enum.Parse<PropertyKind>(r.GetString(4), ignoreCase: true),
            Prefecture = r.GetString(5),
            Municipality = r.GetString(6),
            PriceYen = N<long>(7),
            RentYen = N<int>(8),
            Layout = S(9),
            FloorAreaM2 = N<decimal>(10) is { } floor ? (double)floor : null,
            LotAreaM2 = N<decimal>(11) is { } lot ? (double)lot : null,
            YearBuilt = N<short>(12),
            Structure = S(13),
            TrainLine = S(14),
            Station = S(15),
            WalkMinutes = N<short>(16),
            StationDistance = S(17),
            Farmland = N<bool>(18),
            ShopSpace = N<bool>(19),
            Parking = N<bool>(20),
            Garden = N<bool>(21),
            Pets = N<bool>(22),
            Photos = r.GetFieldValue<string[]>(23),
            PrText = S(24),
            Status = Enum.Parse<ListingStatus>(r.GetString(25), ignoreCase: true),
            SourceUrl = S(26),
            AsOf = r.GetFieldValue<DateOnly>(27),
            Licence = S(28),
            Attribution = S(29),
            Synthetic = r.GetBoolean(30),
        });
    }
}
