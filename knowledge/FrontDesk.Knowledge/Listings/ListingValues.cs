using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FrontDesk.Knowledge.Listings;

/// <summary>Reading the values feeds write by hand: money, areas, years, yes/no flags, distances, layouts.</summary>
public static partial class ListingValues
{
    public static string Fold(string? text) => (text ?? "").Normalize(NormalizationForm.FormKC).Trim();

    /// <summary>Yen from "3000000", "3,000,000円", "300万円", "4.5万"; null for empty; 0 stays 0 (応談).</summary>
    public static bool TryYen(string? text, out long? yen)
    {
        yen = null;
        var s = Fold(text).Replace(",", "").Replace("円", "").Replace(" ", "");
        if (s.Length == 0 || s is "応談" or "-" or "非公開" or "相談")
        {
            yen = s.Length == 0 ? null : 0;
            return true;
        }
        var factor = 1m;
        if (s.EndsWith('万'))
        {
            factor = 10_000m;
            s = s[..^1];
        }
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0 || value > 1e12m)
            return false;
        yen = (long)Math.Round(value * factor);
        return true;
    }

    /// <summary>Square metres from "120.5", "120.5㎡", "120m2".</summary>
    public static bool TryArea(string? text, out double? area)
    {
        area = null;
        var s = Fold(text).Replace(",", "");
        foreach (var unit in new[] { "m2", "m²", "平米", "mm" })
            s = s.Replace(unit, "");
        s = s.TrimEnd('m', ' ');
        if (s.Length == 0)
            return true;
        if (!double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0 || value > 1e8)
            return false;
        area = value == 0 ? null : value;
        return true;
    }

    /// <summary>The year from "1985/4/1", "1985", "1985年", or an era date such as "昭和60年".</summary>
    public static bool TryYear(string? text, out int? year)
    {
        year = null;
        var s = Fold(text);
        if (s.Length == 0 || s is "不明" or "-")
            return true;
        var era = EraYear().Match(s);
        if (era.Success)
        {
            var n = era.Groups[2].Value == "元" ? 1 : int.Parse(era.Groups[2].Value, CultureInfo.InvariantCulture);
            year = era.Groups[1].Value switch { "明治" => 1867, "大正" => 1911, "昭和" => 1925, "平成" => 1988, _ => 2018 } + n;
            return true;
        }
        var western = WesternYear().Match(s);
        if (!western.Success)
            return false;
        var y = int.Parse(western.Value, CultureInfo.InvariantCulture);
        if (y is < 1850 or > 2100)
            return false;
        year = y;
        return true;
    }

    public static bool TryFlag(string? text, out bool? flag)
    {
        var s = Fold(text).ToLowerInvariant();
        flag = s switch
        {
            "" or "不明" or "-" => null,
            "有" or "有り" or "あり" or "有る" or "可" or "yes" or "true" or "1" or "○" => true,
            "無" or "無し" or "なし" or "不可" or "no" or "false" or "0" or "×" => false,
            _ => null,
        };
        return s.Length == 0 || flag is not null || s is "不明" or "-";
    }

    /// <summary>
    /// Walking minutes from free text: "徒歩10分", "10分", "800m", "1.2km". A bare number is minutes up to 60 and metres
    /// from 100; anything by car or bus, or in between, is not a walking time.
    /// </summary>
    public static int? WalkMinutes(string? text)
    {
        var s = Fold(text).Replace(",", "");
        if (s.Length == 0 || s.Contains('車') || s.Contains("バス"))
            return null;
        var m = Distance().Match(s);
        if (!m.Success)
            return null;
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value.ToLowerInvariant();
        // The usual estate-agent rule: 80 metres a minute.
        double? minutes = unit switch
        {
            "分" => value,
            "km" => value * 1000 / 80,
            "m" or "メートル" => value / 80,
            _ => value <= 60 ? value : value >= 100 ? value / 80 : null,
        };
        return minutes is { } v && v <= 600 ? (int)Math.Ceiling(v) : null;
    }

    /// <summary>4SLDK, 3LDK, 2DK, 1K, 5K → the number in front; "ワンルーム" is 1.</summary>
    public static int? RoomsOf(string? layout)
    {
        var s = Fold(layout).ToUpperInvariant();
        if (s.Contains("ワンルーム"))
            return 1;
        var m = Layout().Match(s);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"(明治|大正|昭和|平成|令和)\s*(元|\d{1,2})")]
    private static partial Regex EraYear();

    [GeneratedRegex(@"\d{4}")]
    private static partial Regex WesternYear();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*(分|km|m|メートル)?", RegexOptions.IgnoreCase)]
    private static partial Regex Distance();

    [GeneratedRegex(@"^(\d{1,2})\s*(S?L?D?K|R|LDK|SLDK|DK)")]
    private static partial Regex Layout();
}
