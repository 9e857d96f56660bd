using System.Text;
using FrontDesk.Knowledge.Listings;

namespace FrontDesk.Knowledge.Tests.Listings;

public sealed class ListingFeedsTests
{
    static readonly FeedSource Links = new("links", FeedFormat.Links, new DateOnly(2025, 6, 30));

    static byte[] Bom(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];

    [Fact]
    public void A_LINKS_file_with_BOM_quoted_multi_line_fields_and_commas_in_quotes_is_read_per_RFC_4180()
    {
        var csv = "PROPERTY_NUMBER_ID,PROPERTY_CATEGORY,PREFECTURE,CITY,AMOUNT/RENT,LAYOUT,STRONG_POINTS,DISTANCE_TO_NEAREST_STATION_ON_FOOT\r\n" +
                  "1,賃貸居住用,長野県,松本市,45000,3DK,\"南向き、日当たり良好。\r\n\"\"薪ストーブ\"\"付き, 畑あり\",徒歩8分\r\n" +
                  "2,売買居住用,長野県,松本市,0,4LDK,,800m\r\n";
        var feed = ListingFeeds.Parse(Links, Bom(csv));

        Assert.Empty(feed.Rejected);
        Assert.Equal(2, feed.Listings.Count);
        var rent = feed.Listings[0];
        Assert.Equal(("1", Deal.Rent, 45_000, 8), (rent.SourceId, rent.Deal, rent.RentYen!.Value, rent.WalkMinutes!.Value));
        Assert.Equal("南向き、日当たり良好。\n\"薪ストーブ\"付き, 畑あり", rent.PrText);
        var sale = feed.Listings[1];
        Assert.Null(sale.PriceYen); // 0 = 応談
        Assert.Equal(10, sale.WalkMinutes);
        Assert.Equal(ListingFeeds.LinksAttribution, sale.Attribution);
    }

    [Theory]
    [InlineData("徒歩12分", 12)]
    [InlineData("12", 12)]
    [InlineData("800", 10)]
    [InlineData("1.2km", 15)]
    [InlineData("車で10分", null)]
    [InlineData("バス15分", null)]
    [InlineData("75", null)]
    [InlineData("", null)]
    public void Free_text_station_distances_become_walking_minutes_only_when_they_are_clear(string text, int? minutes) =>
        Assert.Equal(minutes, ListingValues.WalkMinutes(text));

    [Theory]
    [InlineData("1985/4/1", 1985)]
    [InlineData("昭和55年", 1980)]
    [InlineData("平成元年", 1989)]
    [InlineData("令和2年", 2020)]
    public void Construction_dates_become_years(string text, int year)
    {
        Assert.True(ListingValues.TryYear(text, out var y));
        Assert.Equal(year, y);
    }

    [Fact]
    public void A_JSON_feed_that_is_not_an_object_with_listings_is_rejected_whole()
    {
        var source = new FeedSource("j", FeedFormat.Json, new DateOnly(2026, 1, 1));
        Assert.Contains("listings", Assert.Throws<FeedRejectedException>(() => ListingFeeds.Parse(source, Encoding.UTF8.GetBytes("[1,2]"))).Message);
        Assert.Contains("not valid JSON", Assert.Throws<FeedRejectedException>(() => ListingFeeds.Parse(source, Encoding.UTF8.GetBytes("{\"listings\": ["))).Message);
    }

    [Fact]
    public void Hostile_values_in_a_feed_row_are_rejected_with_a_reason()
    {
        var source = new FeedSource("m", FeedFormat.Csv, new DateOnly(2026, 1, 1));
        var csv = "id,category,prefecture,municipality,rent_yen,url,photos\n" +
                  "x1,rent-residential,長野県,松本市,50000,javascript:alert(1),\n" +
                  "x2,rent-residential,長野県,松本市,50000,,../../etc/passwd\n" +
                  "x3,rent-residential,長野県,松本市,99999999999,,\n";
        var feed = ListingFeeds.Parse(source, Encoding.UTF8.GetBytes(csv));
        Assert.Empty(feed.Listings);
        Assert.Contains("not an http(s) address", feed.Rejected[0].Reason);
        Assert.Contains("photo", feed.Rejected[1].Reason);
        Assert.Contains("not plausible", feed.Rejected[2].Reason);
    }
}
