using System.Text.RegularExpressions;

namespace FrontDesk.Testing;

/// <summary>Posting the console's forms as a browser would: with the antiforgery token the page carried.</summary>
public static partial class ConsoleForms
{
    public static string TokenIn(string page) => TokenField().Match(page).Groups[1].Value;

    public static FormUrlEncodedContent Form(string page, params (string Key, string Value)[] fields) => new(
        fields.Append(("__RequestVerificationToken", TokenIn(page))).Select(f => KeyValuePair.Create(f.Item1, f.Item2)));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
