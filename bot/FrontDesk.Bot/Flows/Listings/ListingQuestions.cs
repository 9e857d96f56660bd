using System.Globalization;
using System.Text.RegularExpressions;
using FrontDesk.Bot.Conversations;
using FrontDesk.Knowledge.Listings;

namespace FrontDesk.Bot.Flows.Listings;

/// <summary>
/// A question about the house whose details are open (「この家はペット飼える？」「駐車場ありますか」「築何年？」) is answered
/// from that listing's fields; what the feed does not say, and a viewing, go to a coordinator with the listing attached.
/// </summary>
public static partial class ListingQuestions
{
    public enum Topic { Pets, Parking, Garden, Farmland, ShopSpace, Age, Layout, Area, Price, Access, Structure, Viewing }

    static readonly (Regex Pattern, Topic Topic)[] Topics =
    [
        (Pets(), Topic.Pets), (Parking(), Topic.Parking), (Garden(), Topic.Garden), (Farmland(), Topic.Farmland),
        (Shop(), Topic.ShopSpace), (Age(), Topic.Age), (Layout(), Topic.Layout), (Area(), Topic.Area), (Price(), Topic.Price),
        (Access(), Topic.Access), (Structure(), Topic.Structure), (Viewing(), Topic.Viewing),
    ];

    /// <summary>What the message asks about the open house, or null when it is not about it.</summary>
    public static Topic? Asked(string text, bool question, bool namesConditions)
    {
        var folded = text.Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant();
        var topic = Topics.FirstOrDefault(t => t.Pattern.IsMatch(folded));
        if (topic.Pattern is null)
            return null;
        // 「この家は…」 points at it; otherwise only a question without search conditions of its own is about it.
        return ThisHouse().IsMatch(folded) || question && !namesConditions ? topic.Topic : null;
    }

    /// <summary>The answer from the listing's fields, and whether a coordinator should be offered because the feed does not say.</summary>
    public static (LocalText Text, bool AskCoordinator) Answer(Topic topic, Listing l, int currentYear)
    {
        var ja = ListingCards.TitleText("ja", l);
        var en = ListingCards.TitleText("en", l);
        LocalText Flag(bool? value, string thingJa, string thingEn, string yesJa, string noJa, string yesEn, string noEn) => value switch
        {
            true => new($"{ja}は、掲載情報では{yesJa}です。", $"According to the listing, the {en} {yesEn}."),
            false => new($"{ja}は、掲載情報では{noJa}です。", $"According to the listing, the {en} {noEn}."),
            null => new($"{ja}の掲載情報には、{thingJa}についての記載がありません。", $"The listing of the {en} does not say anything about {thingEn}."),
        };
        var text = topic switch
        {
            Topic.Pets => Flag(l.Pets, "ペット", "pets", "ペット可", "ペット不可", "allows pets", "does not allow pets"),
            Topic.Parking => Flag(l.Parking, "駐車場", "parking", "駐車場あり", "駐車場なし", "has parking", "has no parking"),
            Topic.Garden => Flag(l.Garden, "庭", "a garden", "庭あり", "庭なし", "has a garden", "has no garden"),
            Topic.Farmland => Flag(l.Farmland, "畑・農地", "farmland", "畑・農地付き", "畑・農地なし", "comes with farmland", "has no farmland"),
            Topic.ShopSpace => Flag(l.ShopSpace, "店舗スペース", "shop space", "店舗スペースあり", "店舗スペースなし", "has shop space", "has no shop space"),
            Topic.Age when l.YearBuilt is { } y => new($"{ja}は{y}年築（築{Math.Max(0, currentYear - y)}年）です。", $"The {en} was built in {y} ({Math.Max(0, currentYear - y)} years ago)."),
            Topic.Age => new($"{ja}の掲載情報には、築年の記載がありません。", $"The listing of the {en} does not give the year it was built."),
            Topic.Layout when l.Layout is { } layout => new($"{ja}の間取りは{layout}です。", $"The layout of the {en} is {layout}."),
            Topic.Layout => new($"{ja}の掲載情報には、間取りの記載がありません。", $"The listing of the {en} does not give the layout."),
            Topic.Area when l.FloorAreaM2 is not null || l.LotAreaM2 is not null => new(
                $"{ja}の面積は、" + string.Join("・", new[] { l.FloorAreaM2 is { } f ? $"建物{M2(f)}" : null, l.LotAreaM2 is { } lot ? $"土地{M2(lot)}" : null }.Where(x => x is not null)) + "です。",
                $"The {en} has " + string.Join(" and ", new[] { l.FloorAreaM2 is { } f2 ? $"a building of {M2(f2)}" : null, l.LotAreaM2 is { } lot2 ? $"a lot of {M2(lot2)}" : null }.Where(x => x is not null)) + "."),
            Topic.Area => new($"{ja}の掲載情報には、面積の記載がありません。", $"The listing of the {en} does not give the area."),
            Topic.Price => new($"{ja}は、{ListingCards.MoneyText("ja", l)}です。", $"The {en} is {ListingCards.MoneyText("en", l)}."),
            Topic.Access when l.Station is not null || l.StationDistance is not null => new(
                $"{ja}の交通: " + string.Join(" ", new[] { l.TrainLine, l.Station is { } s ? s + "駅" : null, l.WalkMinutes is { } w ? $"徒歩{w}分" : l.StationDistance }.Where(x => !string.IsNullOrEmpty(x))),
                $"Access to the {en}: " + string.Join(" ", new[] { l.TrainLine, l.Station is { } s2 ? s2 + " Sta." : null, l.WalkMinutes is { } w2 ? $"{w2} min walk" : l.StationDistance }.Where(x => !string.IsNullOrEmpty(x)))),
            Topic.Access => new($"{ja}の掲載情報には、最寄り駅の記載がありません。", $"The listing of the {en} does not give the nearest station."),
            Topic.Structure when l.Structure is { } structure => new($"{ja}の構造は{structure}です。", $"The {en} is built of {structure}."),
            Topic.Structure => new($"{ja}の掲載情報には、構造の記載がありません。", $"The listing of the {en} does not give the structure."),
            _ => new($"{ja}の見学のご希望は、相談員が掲載元の自治体と調整します。", $"For a viewing of the {en}, a coordinator arranges it with the municipality."),
        };
        var unknown = topic == Topic.Viewing || text.Ja.Contains("記載がありません", StringComparison.Ordinal);
        var asOf = new LocalText($"（{l.AsOf.Year}年{l.AsOf.Month}月{l.AsOf.Day}日時点の掲載情報）", $" (listing as of {l.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})");
        var next = unknown
            ? new LocalText("「この物件について相談する」を押すと、物件の情報をつけて相談員におつなぎします。", "Press \"Ask about this house\" and a coordinator gets the listing with your question.")
            : new LocalText("最新の状況は掲載元の自治体にご確認ください。", "Please check the latest with the municipality.");
        return (new LocalText($"{text.Ja}{(topic == Topic.Viewing ? "" : asOf.Ja)}\n{next.Ja}", $"{text.En}{(topic == Topic.Viewing ? "" : asOf.En)}\n{next.En}"), unknown);
    }

    static string M2(double m2) => m2.ToString("0.##", CultureInfo.InvariantCulture) + "㎡";

    [GeneratedRegex(@"(この|その|あの)(家|物件|お家|おうち|建物|土地)|ここ(は|って|に|で)|^(そこ|ここ)|(this|that|the) (house|home|place|one|property)|\bit\b")]
    private static partial Regex ThisHouse();
    [GeneratedRegex(@"ペット|犬|猫|動物を?飼|飼え|飼っ|pets?\b|dogs?\b|cats?\b")]
    private static partial Regex Pets();
    [GeneratedRegex(@"駐車|車を?(置|停|止)|パーキング|parking|\bcar\b")]
    private static partial Regex Parking();
    [GeneratedRegex(@"庭|ガーデン|garden|yard")]
    private static partial Regex Garden();
    [GeneratedRegex(@"畑|農地|家庭菜園|farm")]
    private static partial Regex Farmland();
    [GeneratedRegex(@"店舗|お店|shop")]
    private static partial Regex Shop();
    [GeneratedRegex(@"築|何年前|古い|建てられ|how old|built")]
    private static partial Regex Age();
    [GeneratedRegex(@"間取り|何部屋|部屋数|[1-9]s?l?d?k\b|layout|how many rooms")]
    private static partial Regex Layout();
    [GeneratedRegex(@"広さ|面積|広い|坪|平米|㎡|how big|floor area|\bsize\b")]
    private static partial Regex Area();
    [GeneratedRegex(@"値段|価格|いくら|家賃|賃料|price|rent\b|how much")]
    private static partial Regex Price();
    [GeneratedRegex(@"駅|交通|アクセス|station|train")]
    private static partial Regex Access();
    [GeneratedRegex(@"構造|木造|鉄骨|structure|wooden")]
    private static partial Regex Structure();
    [GeneratedRegex(@"見学|内覧|内見|見に行|見せて|visit|viewing|see (it|the house)")]
    private static partial Regex Viewing();
}
