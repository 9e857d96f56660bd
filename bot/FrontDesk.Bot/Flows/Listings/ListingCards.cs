using System.Globalization;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Handoff;
using FrontDesk.Knowledge.Listings;

namespace FrontDesk.Bot.Flows.Listings;

/// <summary>Listings as engine cards (the channels draw them as Flex bubbles or hero cards) and as a handoff attachment.</summary>
public static class ListingCards
{
    public const string Command = "listing";
    const int PrPreviewLength = 60;

    public static Card Summary(TurnContext turn, StoredListing stored, string? publicBaseUrl)
    {
        var l = stored.Listing;
        var text = Preview(l.PrText);
        return new Card
        {
            Title = Title(turn, l),
            Subtitle = Money(turn, l),
            Text = Join(text, Attribution(turn, l)),
            ImageUrl = l.Photos.Count > 0 ? PhotoUrl(l.Photos[0], publicBaseUrl) : null,
            Facts = Facts(turn, l, detail: false),
            Buttons =
            [
                CardAction.Command(turn.T("詳しく見る", "Details"), Command, $"detail:{stored.Id}"),
                CardAction.Command(turn.T("この物件について相談する", "Ask about this house"), Command, $"consult:{stored.Id}"),
            ],
        };
    }

    public static Card Detail(TurnContext turn, StoredListing stored, string? publicBaseUrl)
    {
        var l = stored.Listing;
        var buttons = new List<CardAction> { CardAction.Command(turn.T("この物件について相談する", "Ask about this house"), Command, $"consult:{stored.Id}") };
        if (l.SourceUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "https" or "http")
            buttons.Add(CardAction.Link(turn.T("掲載元のページを開く", "Open the source page"), url));
        return new Card
        {
            Title = Title(turn, l),
            Subtitle = Money(turn, l),
            Text = Join(l.PrText, Attribution(turn, l)),
            ImageUrl = l.Photos.Count > 0 ? PhotoUrl(l.Photos[0], publicBaseUrl) : null,
            Facts = Facts(turn, l, detail: true),
            Buttons = buttons,
        };
    }

    /// <summary>What the coordinator sees in the console next to the conversation.</summary>
    public static HandoffAttachment Attachment(StoredListing stored)
    {
        var l = stored.Listing;
        var facts = new List<CardFact>
        {
            new("価格・賃料", MoneyText("ja", l)),
            new("物件番号", $"{l.Source} / {l.SourceId}"),
        };
        facts.AddRange(FactsFor("ja", l, detail: true));
        return new HandoffAttachment("listing", TitleText("ja", l), facts, l.SourceUrl);
    }

    static string Title(TurnContext turn, Listing l) => TitleText(turn.Language, l);

    internal static string TitleText(string language, Listing l)
    {
        var en = language == "en";
        var kind = l.Kind switch
        {
            PropertyKind.Land => en ? "Land" : "土地",
            PropertyKind.Business => en ? "Business premises" : "事業用物件",
            _ => en ? "House" : "住宅",
        };
        var deal = l.Deal == Deal.Rent ? (en ? "for rent" : "賃貸") : (en ? "for sale" : "売買");
        return en ? $"{kind} {deal}, {l.Municipality} ({l.Prefecture})" : $"{l.Prefecture}{l.Municipality}の{kind}（{deal}）";
    }

    static string Money(TurnContext turn, Listing l) => MoneyText(turn.Language, l);

    internal static string MoneyText(string language, Listing l)
    {
        var en = language == "en";
        return (l.Deal, l.PriceYen, l.RentYen) switch
        {
            (Deal.Sale, { } price, _) => en ? ListingFilter.Yen(price, true) : ListingFilter.Yen(price, false),
            (Deal.Rent, _, { } rent) => en ? $"{ListingFilter.Yen(rent, true)} a month" : $"月{ListingFilter.Yen(rent, false)}",
            _ => en ? "Price on request" : "価格応談",
        };
    }

    static List<CardFact> Facts(TurnContext turn, Listing l, bool detail) => FactsFor(turn.Language, l, detail);

    static List<CardFact> FactsFor(string language, Listing l, bool detail)
    {
        var en = language == "en";
        var facts = new List<CardFact>();
        void Add(string ja, string english, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
                facts.Add(new CardFact(en ? english : ja, value));
        }
        Add("所在地", "Place", l.Prefecture + l.Municipality);
        Add("間取り", "Layout", l.Layout);
        var areas = new List<string>();
        if (l.FloorAreaM2 is { } floor)
            areas.Add((en ? "building " : "建物") + Area(floor));
        if (l.LotAreaM2 is { } lot)
            areas.Add((en ? "lot " : "土地") + Area(lot));
        Add("面積", "Area", string.Join(en ? ", " : "・", areas));
        Add("築年", "Built", l.YearBuilt is { } y ? (en ? y.ToString(CultureInfo.InvariantCulture) : $"{y}年") : null);
        if (detail)
            Add("構造", "Structure", l.Structure);
        var access = string.Join(" ", new[] { l.TrainLine, l.Station is { } s ? (en ? s + " Sta." : s + "駅") : null }.Where(x => x is not null));
        var walk = l.WalkMinutes is { } w ? (en ? $"{w} min walk" : $"徒歩{w}分") : detail ? l.StationDistance : null;
        Add("交通", "Access", string.Join(" ", new[] { access, walk }.Where(x => !string.IsNullOrEmpty(x))));
        if (detail)
            Add("特徴", "Features", Features(en, l));
        Add("状況", "Status", l.Status switch
        {
            ListingStatus.Negotiating => en ? "Under negotiation" : "商談中",
            ListingStatus.Closed => en ? "Closed" : "成約・掲載終了",
            _ => en ? "Available" : "募集中",
        });
        Add("情報時点", "As of", en ? l.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : $"{l.AsOf.Year}年{l.AsOf.Month}月{l.AsOf.Day}日");
        if (detail && l.Synthetic)
            Add("注意", "Note", en ? "Sample data (not a real house)" : "サンプルの架空データです");
        return facts;
    }

    static string Features(bool en, Listing l)
    {
        var list = new List<string>();
        if (l.Farmland == true) list.Add(en ? "farmland" : "畑・農地付き");
        if (l.ShopSpace == true) list.Add(en ? "shop space" : "店舗スペース");
        if (l.Parking == true) list.Add(en ? "parking" : "駐車場");
        if (l.Garden == true) list.Add(en ? "garden" : "庭");
        if (l.Pets == true) list.Add(en ? "pets allowed" : "ペット可");
        return string.Join(en ? ", " : "・", list);
    }

    static string Area(double m2) => m2.ToString("0.##", CultureInfo.InvariantCulture) + "㎡";

    static string? Attribution(TurnContext turn, Listing l) =>
        l.Attribution is { Length: > 0 } a ? (l.Licence is { Length: > 0 } lic && !a.Contains(lic, StringComparison.Ordinal) ? $"{a}（{lic}）" : a) : null;

    static string? Preview(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var line = text.Split('\n')[0].Trim();
        return line.Length <= PrPreviewLength ? line : line[..PrPreviewLength] + "…";
    }

    static string? Join(string? a, string? b) => (a, b) switch
    {
        (null or "", null or "") => null,
        (null or "", _) => b,
        (_, null or "") => a,
        _ => a + "\n" + b,
    };

    /// <summary>Hosted photos are served under /listings/photos/; with a public base URL they become absolute (LINE needs that).</summary>
    static string PhotoUrl(string photo, string? publicBaseUrl) =>
        photo.StartsWith('/') && publicBaseUrl is { Length: > 0 } b ? b.TrimEnd('/') + photo : photo;
}
