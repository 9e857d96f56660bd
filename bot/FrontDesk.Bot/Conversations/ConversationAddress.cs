namespace FrontDesk.Bot.Conversations;

/// <summary>Who the engine talks to: a channel ("line", "kiosk", "terminal") and that channel's id for the conversation.</summary>
public sealed record ConversationAddress(string Channel, string Id)
{
    /// <summary>The channel of the office's kiosk, a screen that one visitor after another uses.</summary>
    public const string KioskChannel = "kiosk";

    public string Key => Channel + ":" + Id;

    /// <summary>
    /// A screen many people use in turn: nothing personal outlives the visit (short drafts, no account recognised
    /// later), and the person cannot come back to this conversation from elsewhere.
    /// </summary>
    public bool IsSharedDevice => Channel == KioskChannel;

    public static ConversationAddress Parse(string key)
    {
        var colon = key.IndexOf(':');
        if (colon <= 0 || colon == key.Length - 1)
            throw new FormatException("A conversation key is 'channel:id'.");
        return new(key[..colon], key[(colon + 1)..]);
    }

    public override string ToString() => Key;
}
