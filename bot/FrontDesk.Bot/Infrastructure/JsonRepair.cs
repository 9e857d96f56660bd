using System.Text;
using System.Text.Unicode;

namespace FrontDesk.Bot.Infrastructure;

/// <summary>
/// Makes a JSON body's strings readable before it is parsed: invalid UTF-8 becomes U+FFFD, and so does a \u escape of
/// a replace surrogate (<c>"\ud800"</c>). System.Text.Json parses both but throws when such a string is read, so one
/// broken field would otherwise fail the whole request. Structure and every valid string are left exactly as they were.
/// </summary>
public static class JsonRepair
{
    const string Replacement = "\\uFFFD";

    /// <summary>
    /// The same array when nothing needed repair, else a repaired copy. <paramref name="dropNul"/> also removes \u0000,
    /// which PostgreSQL's jsonb cannot hold, where the body is stored as JSON.
    /// </summary>
    public static byte[] Repair(byte[] json, bool dropNul = false)
    {
        if (!Utf8.IsValid(json))
            json = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json));
        return HasEscape(json) ? RepairEscapes(json, dropNul) : json;
    }

    static bool HasEscape(ReadOnlySpan<byte> json) => json.IndexOf("\\u"u8) >= 0;

    static byte[] RepairEscapes(byte[] json, bool dropNul)
    {
        StringBuilder? repaired = null;
        var copiedUpTo = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (!inString)
            {
                inString = b == '"';
                continue;
            }
            if (b == '"')
            {
                inString = false;
                continue;
            }
            if (b != '\\' || i + 1 >= json.Length)
                continue;
            if (json[i + 1] != 'u' || !TryHex(json, i + 2, out var unit))
            {
                i++; // any other escape is two bytes: \" \\ \n …
                continue;
            }
            var length = 6;
            bool replace;
            string replacement = Replacement;
            if (unit == 0 && dropNul)
            {
                replace = true;
                replacement = "";
            }
            else if (char.IsHighSurrogate((char)unit))
            {
                replace = !(i + 12 <= json.Length && json[i + 6] == '\\' && json[i + 7] == 'u'
                    && TryHex(json, i + 8, out var low) && char.IsLowSurrogate((char)low));
                if (!replace)
                    length = 12;
            }
            else
            {
                replace = char.IsLowSurrogate((char)unit);
            }
            if (replace)
            {
                repaired ??= new StringBuilder(json.Length + 16);
                repaired.Append(Encoding.UTF8.GetString(json, copiedUpTo, i - copiedUpTo)).Append(replacement);
                copiedUpTo = i + length;
            }
            i += length - 1;
        }
        if (repaired is null)
            return json;
        repaired.Append(Encoding.UTF8.GetString(json, copiedUpTo, json.Length - copiedUpTo));
        return Encoding.UTF8.GetBytes(repaired.ToString());
    }

    static bool TryHex(byte[] json, int at, out int value)
    {
        value = 0;
        if (at + 4 > json.Length)
            return false;
        for (var k = at; k < at + 4; k++)
        {
            var digit = json[k] switch
            {
                >= (byte)'0' and <= (byte)'9' => json[k] - '0',
                >= (byte)'a' and <= (byte)'f' => json[k] - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => json[k] - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
                return false;
            value = value * 16 + digit;
        }
        return true;
    }
}
