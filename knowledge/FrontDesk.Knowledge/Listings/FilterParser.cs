using System.Globalization;
using System.Text.RegularExpressions;

namespace FrontDesk.Knowledge.Listings;

public enum FilterProblemKind { UnknownPlace, AmbiguousPlace, TwoPlaces, ZeroBudget, AbsurdBudget, Contradiction }

/// <summary>Something in a request the bot must ask about instead of guessing. Options are the places to choose from.</summary>
public sealed record FilterProblem(FilterProblemKind Kind, string Text, IReadOnlyList<Place>? Options = null);

/// <summary>The filter read from a request, what could not be read, and whether the text asked for listings at all.</summary>
public sealed record ParsedRequest(ListingFilter Filter, IReadOnlyList<FilterProblem> Problems, bool MentionsListings, bool LooksLikeQuestion)
{
    /// <summary>True when the text is a search for houses rather than a question for the knowledge base.</summary>
    public bool IsSearch => !LooksLikeQuestion && (MentionsListings || HasConditions);

    bool HasConditions => Filter with { Prefecture = null, Municipality = null } != new ListingFilter()
        || Problems.Any(p => p.Kind is FilterProblemKind.ZeroBudget or FilterProblemKind.AbsurdBudget);
}

/// <summary>
/// Turns requests such as 「長野で月5万円以下の賃貸」 or 「3LDK以上で築30年以内」 into a <see cref="ListingFilter"/>.
/// Rules over NFKC-folded text: places from the gazetteer, budgets in 円/万円/億円 (a monthly amount is rent), buy or rent,
/// layout, age, walking distance and features. What is unclear becomes a <see cref="FilterProblem"/>, never a guess.
/// </summary>
public sealed partial class FilterParser(PlaceGazetteer places)
{
    public const int WalkableMinutes = 15;
    public const long MaxPlausiblePrice = 1_000_000_000;
    public const int MaxPlausibleRent = 1_000_000;

    static readonly string[] RentWords = ["賃貸", "借り", "借家", "貸家", "貸し家", "家賃", "賃料", "レンタル", "rent", "rental", "lease"];
    static readonly string[] SaleWords = ["購入", "買い", "買う", "買え", "売買", "売り", "売家", "売地", "中古", "buy", "purchase", "for sale"];
    static readonly string[] LandWords = ["土地", "空き地", "空地", "更地", "宅地", "land", "plot"];
    static readonly string[] BusinessWords = ["事業用", "店舗用", "事務所", "オフィス", "倉庫", "工場", "office"];
    static readonly string[] HouseWords = ["一戸建", "戸建", "住宅", "古民家", "平屋", "住まい", "マンション", "アパート", "一軒家", "house", "home", "farmhouse", "cottage"];
    static readonly string[] ListingWords = ["物件", "空き家", "空家", "空き地", "売家", "貸家", "listing", "akiya"];
    static readonly string[] FarmWords = ["畑", "農地", "田んぼ", "田畑", "農園", "farmland", "farm"];
    static readonly string[] ShopWords = ["店舗付", "店舗併用", "店舗スペース", "店舗として", "お店", "カフェ", "shop"];
    static readonly string[] ParkingWords = ["駐車場", "駐車", "車を置", "車庫", "ガレージ", "parking"];
    static readonly string[] GardenWords = ["庭", "ガーデン", "菜園", "garden"];
    static readonly string[] PetWords = ["ペット", "犬", "猫", "pet"];
    static readonly string[] NearStationWords = ["駅から歩ける", "駅まで歩ける", "駅に歩ける", "駅近", "駅チカ", "駅ちか", "駅に近い", "駅から近い", "駅の近く", "徒歩圏", "near a station", "near the station"];
    // Questions about how things work go to the knowledge base even when they name a feature or a deal.
    static readonly string[] QuestionWords = ["とは", "仕組み", "しくみ", "って何", "ってなに", "方法", "手続", "流れ", "補助", "支援", "助成", "制度", "税",
        "登録", "申請", "申し込", "申込", "使い方", "許可", "法律", "契約", "注意", "リスク", "メリット", "デメリット", "相場", "what is", "how do", "how does",
        // An owner's or a neighbour's problem is not a search: 「家を売りたい」「土地の境界でもめています」.
        "売りたい", "貸したい", "手放", "相続", "裁判", "境界", "トラブル", "もめ", "解体", "固定資産"];

    public ParsedRequest Parse(string text)
    {
        // 「3万5千円」「1億2千万円」「3万5000円」: one amount in combined units, written out in yen before it is read.
        var s = CombinedAmount().Replace(PlaceGazetteer.Fold(text ?? ""), m =>
        {
            decimal Part(string group, decimal unit) => m.Groups[group].Success ? decimal.Parse(m.Groups[group].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture) * unit : 0;
            var yen = Part("oku", 100_000_000m) + Part("okuman", 10_000m) + Part("man", 10_000m) + Part("sen", 1_000m) + Part("rest", 1m);
            return yen.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "円";
        });
        var problems = new List<FilterProblem>();
        var filter = new ListingFilter();

        // 「空き家」 names the whole bank, not a kind of property, and its 家 must not read as 「家」.
        var words = s.Replace("空き家バンク", "").Replace("空家バンク", "");
        var rent = Has(words, RentWords);
        var sale = Has(words, SaleWords);
        if (rent && sale && !words.Contains("賃貸だけ") && !words.Contains("購入だけ"))
            problems.Add(new(FilterProblemKind.Contradiction, "rent-and-sale"));
        else if (rent)
            filter = filter with { Deal = Deal.Rent };
        else if (sale)
            filter = filter with { Deal = Deal.Sale };

        if (Has(words, LandWords))
            filter = filter with { Kind = PropertyKind.Land };
        else if (Has(words, BusinessWords))
            filter = filter with { Kind = PropertyKind.Business };
        else if (Has(words, HouseWords) || HouseNoun().IsMatch(words.Replace("空き家", "")))
            filter = filter with { Kind = PropertyKind.Residential };

        filter = Budget(words, filter, problems);
        filter = Rooms(words, filter);

        if (Age().Match(words) is { Success: true } age)
            filter = filter with { MaxAgeYears = int.Parse(age.Groups[1].Value, CultureInfo.InvariantCulture) };
        else if (words.Contains("築浅"))
            filter = filter with { MaxAgeYears = 10 };

        if (Walk().Match(words) is { Success: true } walk)
            filter = filter with { MaxWalkMinutes = int.Parse((walk.Groups[1].Success ? walk.Groups[1] : walk.Groups[2]).Value, CultureInfo.InvariantCulture) };
        else if (Has(words, NearStationWords))
            filter = filter with { MaxWalkMinutes = WalkableMinutes };

        filter = filter with
        {
            Farmland = Has(words, FarmWords),
            ShopSpace = Has(words, ShopWords),
            Parking = Has(words, ParkingWords),
            Garden = Has(words, GardenWords) && !words.Contains("家庭菜園なし"),
            Pets = Has(words, PetWords),
            OldHouse = words.Contains("古民家") || words.Contains("kominka"),
        };

        filter = Place(s, filter, problems);
        var mentions = Has(words, ListingWords) || s.Contains("空き家") || SearchVerb().IsMatch(s);
        var question = Has(s, QuestionWords);
        return new ParsedRequest(filter, problems, mentions, question);
    }

    ListingFilter Place(string s, ListingFilter filter, List<FilterProblem> problems)
    {
        var mentions = places.Find(s);
        var prefectures = mentions.Where(m => m.Places.All(p => p.Municipality is null)).Select(m => m.Places[0].Prefecture).Distinct().ToList();
        var municipalities = mentions.Where(m => m.Places.Any(p => p.Municipality is not null)).ToList();

        if (municipalities.Count > 0)
        {
            var m = municipalities[0];
            // A prefecture named beside a shared name settles it: 「福島の伊達市」.
            var options = prefectures.Count > 0 ? m.Places.Where(p => prefectures.Contains(p.Prefecture)).ToList() : m.Places.ToList();
            if (options.Count == 0)
                options = m.Places.ToList();
            if (municipalities.Select(x => x.Places[0]).Distinct().Count() > 1)
                problems.Add(new(FilterProblemKind.TwoPlaces, string.Join("・", municipalities.Select(x => x.Text))));
            else if (options.Count > 1)
                problems.Add(new(FilterProblemKind.AmbiguousPlace, m.Text, options));
            else
                return filter with { Prefecture = options[0].Prefecture, Municipality = options[0].Municipality };
            return filter;
        }
        if (prefectures.Count > 1)
        {
            problems.Add(new(FilterProblemKind.TwoPlaces, string.Join("・", prefectures), prefectures.Select(p => new Place(p, null)).ToList()));
            return filter;
        }
        if (prefectures.Count == 1)
            filter = filter with { Prefecture = prefectures[0] };

        // A place-like word the gazetteer does not know: ask rather than search the wrong area or everywhere.
        foreach (Match u in UnknownPlace().Matches(s).Concat(LeadingPlace().Matches(s)))
        {
            var name = u.Groups[1].Value + u.Groups[2].Value;
            if (mentions.Any(m => m.Start <= u.Index + u.Length && u.Index <= m.Start + m.Text.Length) || NotPlaces.Contains(name) || NotPlaces.Contains(u.Groups[1].Value))
                continue;
            problems.Add(new(FilterProblemKind.UnknownPlace, name));
            break;
        }
        return filter;
    }

    static readonly HashSet<string> NotPlaces = ["都市", "農村", "山村", "漁村", "市町村", "市内", "町内", "村内", "県内", "府内", "都内", "城下町", "下町", "港町", "田舎町", "田舎", "郊外",
        "近く", "駅", "海", "山", "川", "湖", "海沿い", "山間", "雪国", "南", "北", "東", "西", "地方", "どこ", "全国", "地元", "実家", "職場", "会社", "賃貸", "購入", "予算", "中古", "新築",
        "古民家", "平屋", "戸建", "土地", "物件", "住宅", "駅近", "店舗", "農地", "畑", "庭", "別荘", "マンション", "アパート", "一軒家", "都会", "街中", "町中", "市街", "市街地", "温泉", "温泉地", "別荘", "別荘地", "海辺", "里山", "自然", "高原", "離島", "島"];

    static ListingFilter Budget(string s, ListingFilter filter, List<FilterProblem> problems)
    {
        foreach (Match m in Money().Matches(s))
        {
            if (m.Groups["min"].Success)
                continue; // 「100万円以上」 sets no upper bound; a lower bound on price is not a search we offer
            var number = decimal.Parse(m.Groups["n"].Value.Replace(",", ""), CultureInfo.InvariantCulture);
            var unit = m.Groups["u"].Value;
            var yen = (long)Math.Min(number * (unit switch { "億" => 100_000_000m, "万" => 10_000m, "千" => 1_000m, _ => 1m }), long.MaxValue / 2);
            var monthly = m.Groups["month"].Success || m.Groups["per"].Success
                || Regex.IsMatch(s[Math.Max(0, m.Index - 6)..m.Index], "(家賃|賃料|月額)");
            var rent = monthly || filter.Deal == Deal.Rent || (filter.Deal is null && yen < 300_000 && yen > 0);
            if (yen <= 0)
            {
                problems.Add(new(FilterProblemKind.ZeroBudget, m.Value));
                return filter;
            }
            if (monthly && filter.Deal == Deal.Sale)
            {
                problems.Add(new(FilterProblemKind.Contradiction, "monthly-for-sale"));
                return filter;
            }
            if (rent ? yen > MaxPlausibleRent || yen < 1_000 : yen > MaxPlausiblePrice || yen < 10_000)
            {
                problems.Add(new(FilterProblemKind.AbsurdBudget, m.Value.Trim()));
                return filter;
            }
            return rent
                ? filter with { MaxRent = (int)yen, Deal = Deal.Rent }
                : filter with { MaxPrice = yen, Deal = filter.Deal ?? Deal.Sale };
        }
        return filter;
    }

    static ListingFilter Rooms(string s, ListingFilter filter)
    {
        if (LayoutPattern().Match(s.ToUpperInvariant()) is { Success: true } layout)
            return filter with { MinRooms = int.Parse(layout.Groups[1].Value, CultureInfo.InvariantCulture), Kind = filter.Kind ?? PropertyKind.Residential };
        if (RoomCount().Match(s) is { Success: true } rooms)
            return filter with { MinRooms = int.Parse(rooms.Groups[1].Value, CultureInfo.InvariantCulture), Kind = filter.Kind ?? PropertyKind.Residential };
        return filter;
    }

    static bool Has(string s, string[] words) => words.Any(w => Contains(s, w));

    /// <summary>Japanese words match anywhere; English words only whole ("land" is not in "farmland").</summary>
    static bool Contains(string s, string word)
    {
        if (!char.IsAsciiLetter(word[0]))
            return s.Contains(word, StringComparison.Ordinal);
        for (var at = s.IndexOf(word, StringComparison.Ordinal); at >= 0; at = s.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var end = at + word.Length;
            if ((at == 0 || !char.IsAsciiLetter(s[at - 1])) && (end == s.Length || !char.IsAsciiLetter(s[end]) || s[end] == 's'))
                return true;
        }
        return false;
    }

    [GeneratedRegex(@"(?:(?<oku>\d+)億(?:(?<okuman>\d+)万)?|(?<man>\d+)万)(?:(?<sen>\d)千|(?<rest>\d{1,4}))(?=円)|(?<oku>\d+)億(?<okuman>\d+)万(?=円)")]
    private static partial Regex CombinedAmount();

    [GeneratedRegex(@"(?<month>月額?|毎月|ひと月|1か月|1ヶ月)?\s*(?<n>\d[\d,]*(?:\.\d+)?)\s*(?<u>億|万|千)?\s*(?:円|yen)(?<per>\s*/\s*月|\s*per\s*month|\s*a\s*month)?(?:\s*(?:まで|以下|以内|未満|程度|くらい|ぐらい|前後)|(?<min>\s*以上))?|(?<month>月額?)\s*(?<n>\d[\d,]*(?:\.\d+)?)\s*(?<u>万)|(?<n>\d[\d,]*(?:\.\d+)?)\s*(?<u>億|万)(?=\s*(?:まで|以下|以内|未満|程度|くらい|ぐらい|前後|の|で|、|$))|[¥￥]\s*(?<n>\d[\d,]*)", RegexOptions.IgnoreCase)]
    private static partial Regex Money();

    [GeneratedRegex(@"(\d{1,2})\s*(?:SLDK|LDK|SDK|DK|LK|K)(?![A-Z])")]
    private static partial Regex LayoutPattern();

    [GeneratedRegex(@"(\d{1,2})\s*(?:部屋|間|rooms?|bedrooms?)")]
    private static partial Regex RoomCount();

    [GeneratedRegex(@"築\s*(\d{1,3})\s*年")]
    private static partial Regex Age();

    [GeneratedRegex(@"(?:駅\S{0,4}?)?(?:徒歩|歩いて)\s*(\d{1,2})\s*分|(\d{1,2})\s*(?:min|minutes)\s*walk")]
    private static partial Regex Walk();

    [GeneratedRegex(@"(家|いえ)(?!賃|庭|族|具|電|計|事)")]
    private static partial Regex HouseNoun();

    [GeneratedRegex(@"(探し|さがし|探す|さがす|見せて|紹介して|ありますか|ある\?|ない\?|住みたい|暮らしたい|look for|looking for|find)")]
    private static partial Regex SearchVerb();

    [GeneratedRegex(@"([\p{IsCJKUnifiedIdeographs}ァ-ヶー]{1,5})(県|府|市|町|村|郡)(?=で|の|に|周辺|あたり|、|\s|$)")]
    private static partial Regex UnknownPlace();

    // 「富良野で古民家」: a name at the start followed by で/の/周辺 is meant as the place.
    [GeneratedRegex(@"^([\p{IsCJKUnifiedIdeographs}ァ-ヶー]{2,5})()(?=で|周辺|あたり|エリア)")]
    private static partial Regex LeadingPlace();
}
