using FrontDesk.Knowledge.Listings;

namespace FrontDesk.Knowledge.Tests.Listings;

public sealed class FilterParserTests
{
    readonly FilterParser parser = new(PlaceGazetteer.BuiltIn());

    ListingFilter F(string text) => parser.Parse(text).Filter;

    [Fact]
    public void The_request_test_set_is_parsed_exactly_right_at_least_nine_times_in_ten()
    {
        var cases = FilterEvaluation.Load(Path.Combine(Corpus.ArticlesDirectory, "..", "..", "eval", "listing-requests.jsonl"));
        var result = FilterEvaluation.Run(parser, cases);

        Assert.True(cases.Count >= 40, $"only {cases.Count} requests in the test set");
        Assert.True(result.Share >= 0.9, $"{result.Exact}/{result.Total} exact; misses:\n" + string.Join("\n", result.Misses.Select(m => $"{m.Text}\n  want {m.Expected}\n  got  {m.Actual}")));
    }

    [Theory]
    [InlineData("長野で探しています", "長野県", null)]
    [InlineData("ながので", "長野県", null)]
    [InlineData("Nagano", "長野県", null)]
    [InlineData("信州の家", "長野県", null)]
    [InlineData("長野市の家", "長野県", "長野市")]
    [InlineData("松本の家", "長野県", "松本市")]
    [InlineData("まつもと市の家", "長野県", "松本市")]
    [InlineData("ひだ市の空き家", "岐阜県", "飛騨市")]
    [InlineData("駒ケ根の家", "長野県", "駒ヶ根市")]
    [InlineData("東京から通える山梨の家", "山梨県", null)]
    public void Places_are_read_at_prefecture_and_municipality_level_with_readings_and_abbreviations(string text, string prefecture, string? municipality)
    {
        var f = F(text);
        Assert.Equal((prefecture, municipality), (f.Prefecture, f.Municipality));
    }

    [Theory]
    [InlineData("5万円以下ならうれしい")]
    [InlineData("わたしがさがしているのは家です")]
    [InlineData("うちの家族で住む家")]
    public void Hiragana_that_only_looks_like_a_place_is_not_a_place(string text)
    {
        var f = F(text);
        Assert.Null(f.Prefecture);
        Assert.DoesNotContain(parser.Parse(text).Problems, p => p.Kind != FilterProblemKind.UnknownPlace);
    }

    [Theory]
    [InlineData("月5万円以下", Deal.Rent, 50_000L)]
    [InlineData("家賃45000円", Deal.Rent, 45_000L)]
    [InlineData("予算300万円まで", Deal.Sale, 3_000_000L)]
    [InlineData("1500万円以内で購入", Deal.Sale, 15_000_000L)]
    [InlineData("賃貸 8万", Deal.Rent, 80_000L)]
    [InlineData("予算1億円", Deal.Sale, 100_000_000L)]
    [InlineData("¥50,000 rent", Deal.Rent, 50_000L)]
    [InlineData("月3万5千円以下", Deal.Rent, 35_000L)]
    [InlineData("家賃3万5000円まで", Deal.Rent, 35_000L)]
    [InlineData("予算1億2000万円まで", Deal.Sale, 120_000_000L)]
    public void Budgets_in_yen_and_man_yen_become_a_price_or_a_monthly_rent(string text, Deal deal, long yen)
    {
        var f = F(text);
        Assert.Equal(deal, f.Deal);
        Assert.Equal(yen, deal == Deal.Rent ? f.MaxRent : f.MaxPrice);
    }

    [Theory]
    [InlineData("0円の家", FilterProblemKind.ZeroBudget)]
    [InlineData("予算100億円", FilterProblemKind.AbsurdBudget)]
    [InlineData("家賃500万円", FilterProblemKind.AbsurdBudget)]
    [InlineData("予算50円", FilterProblemKind.AbsurdBudget)]
    [InlineData("賃貸か購入で", FilterProblemKind.Contradiction)]
    [InlineData("購入で月5万円", FilterProblemKind.Contradiction)]
    [InlineData("伊達市で", FilterProblemKind.AmbiguousPlace)]
    [InlineData("上九一色村の賃貸", FilterProblemKind.UnknownPlace)]
    [InlineData("ニセコか札幌", FilterProblemKind.TwoPlaces)]
    public void Absurd_budgets_contradictions_and_unclear_places_are_problems_not_guesses(string text, FilterProblemKind kind)
    {
        var parsed = parser.Parse(text);
        Assert.Contains(parsed.Problems, p => p.Kind == kind);
        Assert.Null(parsed.Filter.MaxPrice);
    }

    [Fact]
    public void A_shared_municipality_name_offers_both_places_and_a_prefecture_settles_it()
    {
        var ambiguous = parser.Parse("伊達市の家").Problems.Single();
        Assert.Equal(["北海道", "福島県"], ambiguous.Options!.Select(p => p.Prefecture).Order());
        Assert.Equal("北海道", F("北海道の伊達市").Prefecture);
    }

    [Theory]
    [InlineData("富良野市で賃貸", "北海道", "富良野市")]
    [InlineData("富良野で古民家", "北海道", "富良野市")]
    [InlineData("ふらので古民家", "北海道", "富良野市")]
    [InlineData("世田谷区の賃貸", "東京都", "世田谷区")]
    [InlineData("札幌市北区で賃貸", "北海道", "札幌市")]
    [InlineData("神戸で購入", "兵庫県", "神戸市")]
    [InlineData("松本市で賃貸の一戸建て", "長野県", "松本市")]
    [InlineData("長野で古民家", "長野県", null)]
    [InlineData("長野市で古民家", "長野県", "長野市")]
    public void Any_municipality_is_read_by_name_short_name_or_reading_and_a_prefecture_name_stays_the_prefecture(string text, string prefecture, string? municipality)
    {
        var f = F(text);
        Assert.Equal(prefecture, f.Prefecture);
        Assert.Equal(municipality, f.Municipality);
    }

    [Fact]
    public void A_name_several_municipalities_share_asks_which_one()
    {
        var city = parser.Parse("府中市の家").Problems.Single();
        Assert.Equal(FilterProblemKind.AmbiguousPlace, city.Kind);
        Assert.Equal(["広島県", "東京都"], city.Options!.Select(p => p.Prefecture).Order());
        var shortName = parser.Parse("府中で賃貸").Problems.Single();
        Assert.Equal(["府中市", "府中市", "府中町"], shortName.Options!.Select(p => p.Municipality!).Order());
        Assert.Equal("東京都", F("東京の府中市").Prefecture);
    }

    [Theory]
    [InlineData("3LDK以上", 3)]
    [InlineData("4SLDK", 4)]
    [InlineData("2DK", 2)]
    [InlineData("5部屋以上", 5)]
    public void Layouts_set_a_minimum_number_of_rooms(string text, int rooms) => Assert.Equal(rooms, F(text).MinRooms);

    [Theory]
    [InlineData("築30年以内", 30)]
    [InlineData("築 15 年まで", 15)]
    [InlineData("築浅", 10)]
    public void Age_sets_a_maximum_number_of_years(string text, int years) => Assert.Equal(years, F(text).MaxAgeYears);

    [Theory]
    [InlineData("駅徒歩10分", 10)]
    [InlineData("駅から歩ける", 15)]
    [InlineData("駅近", 15)]
    [InlineData("5 min walk", 5)]
    public void Walking_distance_to_a_station_is_read(string text, int minutes) => Assert.Equal(minutes, F(text).MaxWalkMinutes);

    [Fact]
    public void Features_and_kinds_are_read()
    {
        var f = F("畑と庭と駐車場があってペットと住める店舗付きの古民家");
        Assert.True(f.Farmland && f.Garden && f.Parking && f.Pets && f.ShopSpace && f.OldHouse);
        Assert.Equal(PropertyKind.Residential, f.Kind);
        Assert.Equal(PropertyKind.Land, F("土地を探しています").Kind);
        Assert.Equal(PropertyKind.Business, F("事業用の物件").Kind);
    }

    [Theory]
    [InlineData("長野で月5万円以下の賃貸", true)]
    [InlineData("畑付きの家", true)]
    [InlineData("空き家を探したい", true)]
    [InlineData("3LDK以上で築30年以内", true)]
    [InlineData("空き家バンクとは？", false)]
    [InlineData("空き家バンクの仕組みを教えて", false)]
    [InlineData("空き家の改修に補助金はありますか", false)]
    [InlineData("移住支援金はいくらもらえますか？", false)]
    [InlineData("長野県の移住相談窓口はどこ？", false)]
    [InlineData("隣の家と土地の境界でもめています。裁判したら勝てますか", false)]
    [InlineData("実家の空き家を売りたい", false)]
    [InlineData("ペットと一緒に住める賃貸マンションを探しています", true)]
    public void Searches_are_told_apart_from_questions_for_the_knowledge_base(string text, bool search) => Assert.Equal(search, parser.Parse(text).IsSearch);

    [Fact]
    public void What_was_understood_is_said_back_in_short()
    {
        Assert.Equal("長野県・賃貸・月5万円以下", F("長野で月5万円以下の賃貸").Describe("ja"));
        Assert.Equal("長野県, to rent, rent up to ¥50,000 a month", F("長野で月5万円以下の賃貸").Describe("en"));
    }

    [Fact]
    public void A_refinement_keeps_earlier_conditions_and_replaces_what_it_names()
    {
        var first = F("長野で月5万円以下の賃貸");
        var refined = first.Merge(F("松本市で駐車場つき"));
        Assert.Equal(("長野県", "松本市", 50_000, true), (refined.Prefecture, refined.Municipality, refined.MaxRent, refined.Parking));
        var bought = refined.Merge(F("購入だけ"));
        Assert.Equal((Deal.Sale, (int?)null), (bought.Deal!.Value, bought.MaxRent));
    }
}
