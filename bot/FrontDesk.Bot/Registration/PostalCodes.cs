namespace FrontDesk.Bot.Registration;

/// <summary>
/// A small sample of Japan Post postal codes, enough to suggest an address in the demo and the tests. It is partial
/// on purpose: unknown codes make the form ask for the address. A deployment would load Japan Post's KEN_ALL data.
/// </summary>
public static class PostalCodes
{
    static readonly Dictionary<string, string> Sample = new(StringComparer.Ordinal)
    {
        ["1000001"] = "東京都千代田区千代田",
        ["1000005"] = "東京都千代田区丸の内",
        ["1130033"] = "東京都文京区本郷",
        ["1500002"] = "東京都渋谷区渋谷",
        ["1600023"] = "東京都新宿区西新宿",
        ["2310023"] = "神奈川県横浜市中区山下町",
        ["3800000"] = "長野県長野市",
        ["3860000"] = "長野県上田市",
        ["3900000"] = "長野県松本市",
        ["3900874"] = "長野県松本市大手",
        ["3920000"] = "長野県諏訪市",
        ["3950000"] = "長野県飯田市",
    };

    /// <summary>The address for seven digits, or null when the sample does not have it.</summary>
    public static string? Find(string digits) => Sample.GetValueOrDefault(digits);
}
