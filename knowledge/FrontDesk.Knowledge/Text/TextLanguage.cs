namespace FrontDesk.Knowledge.Text;

// "en" when a text is mostly Latin letters, even if it quotes a Japanese term ("the 移住支援金
// grant"); otherwise "ja". Used for questions, passages and single sentences alike, so an
// English summary inside a Japanese article is recognised as English.
public static class TextLanguage
{
    public const string Japanese = "ja";
    public const string English = "en";

    public static string Detect(string text)
    {
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
}
