using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace FrontDesk.Knowledge.Listings;

public sealed record ImportReport(string Feed, int Added, int Updated, int Unchanged, int Closed, IReadOnlyList<RejectedRow> Rejected, string? Error = null)
{
    public override string ToString() => Error is not null
        ? $"{Feed}: rejected whole feed: {Error}"
        : $"{Feed}: added {Added}, updated {Updated}, unchanged {Unchanged}, closed {Closed}, rejected {Rejected.Count}";
}

/// <summary>
/// Upserts a parsed feed in one transaction: new listings are added, changed ones updated, unchanged ones left alone.
/// For a full feed, listings it no longer names are closed (never deleted). Running the same feed twice changes nothing.
/// </summary>
public sealed partial class ListingImporter(NpgsqlDataSource db, TimeProvider time, ILogger<ListingImporter> logger)
{
    public async Task<ImportReport> ImportAsync(FeedSource source, byte[] bytes, bool fullFeed, CancellationToken ct)
    {
        ParsedFeed feed;
        try
        {
            feed = ListingFeeds.Parse(source, bytes);
        }
        catch (FeedRejectedException e)
        {
            LogFeedRejected(source.Name, e.Message);
            return new ImportReport(source.Name, 0, 0, 0, 0, [], e.Message);
        }
        return await StoreAsync(source.Name, feed, fullFeed, ct);
    }

    public async Task<ImportReport> StoreAsync(string feedName, ParsedFeed feed, bool fullFeed, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var create = new NpgsqlCommand(StagingSql, conn, tx))
            await create.ExecuteNonQueryAsync(ct);
        await CopyAsync(conn, feed.Listings, ct);

        int added = 0, updated = 0;
        await using (var upsert = new NpgsqlCommand(UpsertSql, conn, tx))
        {
            upsert.Parameters.AddWithValue("now", now);
            await using var reader = await upsert.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
                (added, updated) = ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
        }

        var closed = 0;
        // A feed whose every row was rejected says nothing about which houses are gone.
        if (fullFeed && feed.Listings.Count > 0)
        {
            await using var close = new NpgsqlCommand(CloseVanishedSql, conn, tx);
            close.Parameters.AddWithValue("source", feedName);
            close.Parameters.AddWithValue("now", now);
            // Ids named by rejected rows are still in the feed: a typo in one row must not close that house.
            close.Parameters.AddWithValue("named", feed.NamedIds.ToArray());
            closed = await close.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);

        var report = new ImportReport(feedName, added, updated, feed.Listings.Count - added - updated, closed, feed.Rejected);
        LogImported(feedName, added, updated, report.Unchanged, closed, feed.Rejected.Count);
        return report;
    }

    static async Task CopyAsync(NpgsqlConnection conn, IReadOnlyList<Listing> listings, CancellationToken ct)
    {
        await using var writer = await conn.BeginBinaryImportAsync($"copy pg_temp.staging ({Columns}) from stdin (format binary)", ct);
        foreach (var l in listings)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(l.Source, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(l.SourceId, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(l.Deal == Deal.Sale ? "sale" : "rent", NpgsqlDbType.Text, ct);
            await writer.WriteAsync(l.Kind.ToString().ToLowerInvariant(), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(l.Prefecture, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(l.Municipality, NpgsqlDbType.Text, ct);
            await WriteAsync(writer, l.PriceYen, NpgsqlDbType.Bigint, ct);
            await WriteAsync(writer, l.RentYen, NpgsqlDbType.Integer, ct);
            await WriteAsync(writer, l.Layout, NpgsqlDbType.Text, ct);
            await WriteAsync(writer, (short?)l.Rooms, NpgsqlDbType.Smallint, ct);
            await WriteAsync(writer, (decimal?)l.FloorAreaM2, NpgsqlDbType.Numeric, ct);
            await WriteAsync(writer, (decimal?)l.LotAreaM2, NpgsqlDbType.Numeric, ct);
            await WriteAsync(writer, (short?)l.YearBuilt, NpgsqlDbType.Smallint, ct);
            await WriteAsync(writer, l.Structure, NpgsqlDbType.Text, ct);
            await WriteAsync(writer, l.TrainLine, NpgsqlDbType.Text, ct);
            await WriteAsync(writer, l.Station, NpgsqlDbType.Text, ct);
            await WriteAsync(writer, (short?)l.WalkMinutes, NpgsqlDbType.Smallint, ct);
            await WriteAsync(writer, l.StationDistance, NpgsqlDbType.Text, ct);
            await WriteAsync(writer, l.Farmland, NpgsqlDbType.Boolean, ct);
            await WriteAsync(writer, l.ShopSpace, NpgsqlDbType.Boolean, ct);
            await WriteAsync(writer, l.Parking, NpgsqlDbType.Boolean, ct);
            await WriteAsync(writer, l.Garden, NpgsqlDbType.Boolean, ct);
            await WriteAsync(writer, l.Pets, NpgsqlDbType.Boolean, ct);
            await writer.WriteAsync(l.Photos.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await WriteAsync(writer, l.PrText, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(l.Status.ToString().ToLowerInvariant(), NpgsqlDbType.Text, ct);
            await WriteAsync(writer, l.SourceUrl, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(l.AsOf, NpgsqlDbType.Date, ct);
            await WriteAsync(writer, l.Licence, NpgsqlDbType.Text, ct);
            await WriteAsync(writer, l.Attribution, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(l.Synthetic, NpgsqlDbType.Boolean, ct);
            await writer.WriteAsync(l.ContentHash(), NpgsqlDbType.Text, ct);
        }
        await writer.CompleteAsync(ct);
    }

    static Task WriteAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? writer.WriteNullAsync(ct) : writer.WriteAsync(value, type, ct);

    const string Columns = """
        source, source_id, deal, kind, prefecture, municipality, price_yen, rent_yen, layout, rooms, floor_area_m2, lot_area_m2,
        year_built, structure, train_line, station, walk_minutes, station_distance, farmland, shop_space, parking, garden, pets,
        photos, pr_text, status, source_url, as_of, licence, attribution, synthetic, content_hash
        """;

    const string StagingSql = """
        create temp table staging on commit drop as
        select source, source_id, deal, kind, prefecture, municipality, price_yen, rent_yen, layout, rooms, floor_area_m2, lot_area_m2,
               year_built, structure, train_line, station, walk_minutes, station_distance, farmland, shop_space, parking, garden, pets,
               photos, pr_text, status, source_url, as_of, licence, attribution, synthetic, content_hash
        from listings.listings with no data
        """;

    // xmax = 0 tells a freshly inserted row from an updated one. Unchanged rows are skipped by the where clause,
    // unless the listing had vanished from an earlier feed and is back.
    const string UpsertSql = $"""
        with upserted as (
            insert into listings.listings ({Columns}, first_seen_at, updated_at)
            select {Columns}, @now, @now from pg_temp.staging
            on conflict (source, source_id) do update set
                deal = excluded.deal, kind = excluded.kind, prefecture = excluded.prefecture, municipality = excluded.municipality,
                price_yen = excluded.price_yen, rent_yen = excluded.rent_yen, layout = excluded.layout, rooms = excluded.rooms,
                floor_area_m2 = excluded.floor_area_m2, lot_area_m2 = excluded.lot_area_m2, year_built = excluded.year_built,
                structure = excluded.structure, train_line = excluded.train_line, station = excluded.station,
                walk_minutes = excluded.walk_minutes, station_distance = excluded.station_distance, farmland = excluded.farmland,
                shop_space = excluded.shop_space, parking = excluded.parking, garden = excluded.garden, pets = excluded.pets,
                photos = excluded.photos, pr_text = excluded.pr_text, status = excluded.status, source_url = excluded.source_url,
                as_of = excluded.as_of, licence = excluded.licence, attribution = excluded.attribution, synthetic = excluded.synthetic,
                content_hash = excluded.content_hash, updated_at = excluded.updated_at, vanished_at = null
            where listings.listings.content_hash <> excluded.content_hash or listings.listings.vanished_at is not null
            returning (xmax = 0) as inserted)
        select count(*) filter (where inserted), count(*) filter (where not inserted) from upserted
        """;

    const string CloseVanishedSql = """
        update listings.listings set status = 'closed', vanished_at = @now, updated_at = @now
        where source = @source and vanished_at is null and source_id not in (select unnest(@named::text[]))
        """;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing feed {Feed} rejected: {Reason}")]
    partial void LogFeedRejected(string feed, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listing feed {Feed}: added {Added}, updated {Updated}, unchanged {Unchanged}, closed {Closed}, rejected {Rejected}")]
    partial void LogImported(string feed, int added, int updated, int unchanged, int closed, int rejected);
}
