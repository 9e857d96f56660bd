namespace FrontDesk.Bot.Conversations;

/// <summary>Who the engine talks to: a channel ("line", "kiosk", "terminal") and that channel's id for the conversation.</summary>
public sealed record ConversationAddress(string Channel, string Id)
{
    public string Key => Channel + ":" + Id;

    public static ConversationAddress Parse(string key)
    {
        var colon = key.IndexOf(':');
        if (colon <= 0 || colon == key.Length - 1)
            throw new FormatException("A conversation key is 'channel:id'.");
        return new(key[..colon], key[(colon + 1)..]);
    }

    public override string ToString() => Key;
}
