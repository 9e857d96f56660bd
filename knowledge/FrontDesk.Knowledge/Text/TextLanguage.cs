namespace FrontDesk.Knowledge.Text;

// "en" when a text is mostly Latin letters, even if it quotes a Japanese term ("the 移住支援金
// grant"); otherwise "ja". Used for questions, passages and single sentences alike, so an
// English summary inside a Japanese article is recognised as English.
public static partial class TextLanguage
{
    public const string Japanese = "ja";
    public const string English = "en";

    public static string Detect(string text)
    {
        // Addresses and markup are Latin letters in any language: 「このページ https://… について」 is Japanese.
        if (text.Contains("://", StringComparison.Ordinal) || text.Contains('<') || text.Contains("javascript:", StringComparison.OrdinalIgnoreCase))
        {
            text = NotWords().Replace(text, " ");
        }

        var latin = 0;
        var japanese = 0;
        foreach (var c in text)
        {
            if (JapaneseText.IsCjk(c) && !char.IsSurrogate(c))
            {
                japanese++;
            }
            else if (char.IsAsciiLetter(c))
            {
                latin++;
            }
        }

        return latin >= 2 && latin > 3 * japanese ? English : Japanese;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[a-z][a-z0-9+.-]*://\S*|www\.\S+|javascript:\S*|<[^>]*>", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex NotWords();
}
