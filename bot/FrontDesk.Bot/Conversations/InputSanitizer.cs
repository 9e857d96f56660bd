using System.Text;

namespace FrontDesk.Bot.Conversations;

/// <summary>Makes user text safe to store and process: no control characters, no lone surrogates, bounded length.</summary>
public static class InputSanitizer
{
    /// <summary>Cleans the text; keeps at most <paramref name="maxLength"/> + 1 characters so an over-long message can still be recognised as such.</summary>
    public static Activity Clean(Activity activity, int maxLength) => activity with
    {
        Text = activity.Text is null ? null : CleanText(activity.Text, maxLength + 1),
        Value = activity.Value is null ? null : CleanText(activity.Value, 1000),
        Name = activity.Name is null ? null : CleanText(activity.Name, 200),
    };

    public static string CleanText(string text, int maxLength)
    {
        var sb = new StringBuilder(Math.Min(text.Length, maxLength));
        for (var i = 0; i < text.Length && sb.Length < maxLength; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    if (sb.Length + 2 > maxLength)
                        break;
                    sb.Append(c).Append(text[++i]);
                }
                else
                {
                    sb.Append('\uFFFD');
                }
            }
            else if (char.IsLowSurrogate(c))
            {
                sb.Append('\uFFFD');
            }
            else if (c == '\r')
            {
                if (i + 1 >= text.Length || text[i + 1] != '\n')
                    sb.Append('\n');
            }
            else if (c is '\n' or '\t' || !char.IsControl(c) && c is not ('\uFEFF' or '\u200B' or '\u2028' or '\u2029'))
            {
                sb.Append(c);
            }
        }
        return sb.ToString().Trim();
    }
}
