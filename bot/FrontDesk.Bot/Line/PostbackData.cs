using FrontDesk.Bot.Conversations;

namespace FrontDesk.Bot.Line;

/// <summary>
/// The postback data format of buttons, quick replies and rich-menu areas: "c=command" or "c=command&amp;v=value",
/// percent-encoded, at most 300 characters (LINE's limit).
/// </summary>
public static class PostbackData
{
    public const int MaxLength = 300;

    /// <summary>The data for a command, or null when it would not fit in 300 characters.</summary>
    public static string? Encode(string command, string? value)
    {
        var data = "c=" + Uri.EscapeDataString(command) + (value is null ? "" : "&v=" + Uri.EscapeDataString(value));
        return data.Length <= MaxLength ? data : null;
    }

    /// <summary>The command a postback stands for; data in any other format becomes a command of that name, which the router ignores.</summary>
    public static Activity Decode(string data)
    {
        string? command = null, value = null;
        foreach (var part in data.Split('&'))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
                continue;
            var key = part[..eq];
            var text = Unescape(part[(eq + 1)..]);
            if (key == "c")
                command = text;
            else if (key == "v")
                value = text;
        }
        return string.IsNullOrEmpty(command) ? Activity.Command("postback", data) : Activity.Command(command, value);
    }

    static string Unescape(string s)
    {
        try
        {
            return Uri.UnescapeDataString(s);
        }
        catch (UriFormatException)
        {
            return s;
        }
    }
}
