using System.Text.Json.Serialization;

namespace FrontDesk.Bot.Conversations;

[JsonConverter(typeof(JsonStringEnumConverter<ActivityKind>))]
public enum ActivityKind
{
    /// <summary>Text the user typed or the bot says.</summary>
    Message,
    /// <summary>A button, rich-menu area or postback: a command name and an optional argument.</summary>
    Command,
    /// <summary>Something that happened in the channel: follow, unfollow, conversation start or end.</summary>
    Event,
}

/// <summary>What travels between a channel and the engine. Channels map their JSON to and from this; flows never see channel JSON.</summary>
public sealed record Activity
{
    public ActivityKind Kind { get; init; } = ActivityKind.Message;
    public string? Text { get; init; }
    /// <summary>Command or event name.</summary>
    public string? Name { get; init; }
    /// <summary>Command argument, e.g. the choice a button stands for.</summary>
    public string? Value { get; init; }
    public IReadOnlyList<Card> Cards { get; init; } = [];
    public CardLayout Layout { get; init; } = CardLayout.List;
    public IReadOnlyList<CardAction> SuggestedActions { get; init; } = [];
    /// <summary>The channel's own id for the message (used for unsend and echo).</summary>
    public string? ChannelMessageId { get; init; }
    /// <summary>Channel details the sender needs, such as a LINE reply token. Never shown to flows as meaning.</summary>
    public IReadOnlyDictionary<string, string> ChannelData { get; init; } = EmptyData;
    public DateTimeOffset Timestamp { get; init; }

    static readonly IReadOnlyDictionary<string, string> EmptyData = new Dictionary<string, string>();

    public static Activity Message(string text) => new() { Text = text };
    public static Activity Command(string name, string? value = null) => new() { Kind = ActivityKind.Command, Name = name, Value = value };
    public static Activity Event(string name) => new() { Kind = ActivityKind.Event, Name = name };

    /// <summary>What a flow reads as the user's answer: a button's value, else the typed text.</summary>
    [JsonIgnore]
    public string Input => Kind == ActivityKind.Command ? Value ?? Text ?? "" : Text ?? "";
}

[JsonConverter(typeof(JsonStringEnumConverter<CardLayout>))]
public enum CardLayout { List, Carousel }

public sealed record Card
{
    public required string Title { get; init; }
    public string? Subtitle { get; init; }
    public string? Text { get; init; }
    public string? ImageUrl { get; init; }
    /// <summary>Label/value rows such as 価格 / 300万円.</summary>
    public IReadOnlyList<CardFact> Facts { get; init; } = [];
    public IReadOnlyList<CardAction> Buttons { get; init; } = [];
}

public sealed record CardFact(string Label, string Value);

[JsonConverter(typeof(JsonStringEnumConverter<CardActionKind>))]
public enum CardActionKind
{
    /// <summary>Sends a command (LINE postback, Direct Line postBack).</summary>
    Command,
    /// <summary>Sends its value as if the user typed it.</summary>
    Message,
    OpenUrl,
}

public sealed record CardAction(string Title, CardActionKind Kind, string Value, string? CommandArgument = null)
{
    public static CardAction Command(string title, string command, string? argument = null) => new(title, CardActionKind.Command, command, argument);
    public static CardAction Say(string title, string? text = null) => new(title, CardActionKind.Message, text ?? title);
    public static CardAction Link(string title, string url) => new(title, CardActionKind.OpenUrl, url);
}
