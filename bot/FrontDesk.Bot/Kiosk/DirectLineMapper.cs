using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FrontDesk.Bot.Conversations;
using Activity = FrontDesk.Bot.Conversations.Activity;

namespace FrontDesk.Bot.Kiosk;

public enum InboundKind { Turn, Typing, End, Invalid }

public sealed record Inbound(InboundKind Kind, Activity? Activity = null, string? Problem = null)
{
    public static Inbound Invalid(string problem) => new(InboundKind.Invalid, Problem: problem);
}

/// <summary>
/// Direct Line activity JSON to and from the engine's <see cref="Activity"/>. Our buttons carry
/// <c>{"cmd": …, "arg": …}</c> as their value, so postBack, messageBack and Adaptive Card submits all come back
/// as the same command; imBack and typed text are messages.
/// </summary>
public static class DirectLineMapper
{
    public const string BotId = "frontdesk";
    public const string BotName = "FrontDesk";
    public const string ChannelId = "directline";
    public const int MaxCommandLength = 64;

    public static Inbound ToEngine(JsonObject posted, string device)
    {
        var type = (posted["type"] as JsonValue)?.TryGetValue<string>(out var t) == true ? t : null;
        switch (type)
        {
            case "typing":
                return new(InboundKind.Typing);
            case "endOfConversation":
                return new(InboundKind.End);
            case "message":
            case "event":
                break;
            case null:
                return Inbound.Invalid("The activity needs a 'type'.");
            default:
                return Inbound.Invalid($"Activity type '{Truncate(type, 40)}' is not supported.");
        }

        var data = new Dictionary<string, string> { ["device"] = device };
        if (posted["from"] is JsonObject from && StringOf(from["id"]) is { Length: > 0 and <= 128 } userId)
            data["user"] = userId;

        if (CommandOf(posted["value"]) is { } command)
            return new(InboundKind.Turn, Activity.Command(command.Name, command.Argument) with { ChannelData = data });

        if (type == "event")
        {
            // Events name a command directly, e.g. {"type":"event","name":"topic","value":"akiya"}.
            var name = StringOf(posted["name"]);
            if (name is null || name.Length is 0 or > MaxCommandLength)
                return Inbound.Invalid("An event needs a 'name'.");
            return new(InboundKind.Turn, Activity.Command(name, StringOf(posted["value"])) with { ChannelData = data });
        }

        if (posted["text"] is { } textNode && StringOf(textNode) is null)
            return Inbound.Invalid("'text' must be a string.");
        return new(InboundKind.Turn, Activity.Message(StringOf(posted["text"]) ?? "") with { ChannelData = data });
    }

    static (string Name, string? Argument)? CommandOf(JsonNode? value)
    {
        if (value is not JsonObject o || StringOf(o["cmd"]) is not { Length: > 0 and <= MaxCommandLength } name)
            return null;
        return (name, StringOf(o["arg"]));
    }

    static string? StringOf(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    /// <summary>The visitor's own activity as it goes back to Web Chat: as posted (channelData untouched), with our id, time and plain text.</summary>
    public static JsonObject Echo(JsonObject posted, string conversationId, DateTimeOffset now)
    {
        var echo = posted.DeepClone().AsObject();
        echo.Remove("id");
        echo["timestamp"] = now.UtcDateTime.ToString("O");
        echo["channelId"] = ChannelId;
        echo["conversation"] = new JsonObject { ["id"] = conversationId };
        var from = echo["from"] as JsonObject ?? new JsonObject { ["id"] = "kiosk-visitor" };
        from["role"] = "user";
        echo["from"] = from;
        // A visitor's text is never Markdown: nothing they type can become a link or an image.
        if (echo["type"]?.GetValue<string>() == "message")
            echo["textFormat"] = "plain";
        return echo;
    }

    /// <summary>Outbound channel data key: seconds after which the kiosk page resets itself.</summary>
    public const string ResetAfterSeconds = "resetAfterSeconds";

    public static JsonObject FromEngine(Activity reply, string conversationId, string? userId, string? replyToId, DateTimeOffset timestamp, string language)
    {
        var json = new JsonObject
        {
            ["type"] = "message",
            ["timestamp"] = timestamp.UtcDateTime.ToString("O"),
            ["channelId"] = ChannelId,
            ["conversation"] = new JsonObject { ["id"] = conversationId },
            ["from"] = new JsonObject { ["id"] = BotId, ["name"] = BotName, ["role"] = "bot" },
            ["locale"] = language == "en" ? "en-US" : "ja-JP",
            // Plain: the bot repeats what visitors typed (a form's summary), which must not turn into Markdown.
            ["textFormat"] = "plain",
        };
        if (userId is not null)
            json["recipient"] = new JsonObject { ["id"] = userId, ["role"] = "user" };
        if (replyToId is not null)
            json["replyToId"] = replyToId;
        if (reply.Text is not null)
            json["text"] = reply.Text;
        if (reply.Cards.Count > 0)
        {
            json["attachmentLayout"] = reply.Layout == CardLayout.Carousel ? "carousel" : "list";
            json["attachments"] = new JsonArray(reply.Cards.Select(c => (JsonNode)HeroCard(c)).ToArray());
        }
        // A flow that collected personal data asks the kiosk page to wipe the screen after this message.
        if (reply.ChannelData.TryGetValue(ResetAfterSeconds, out var seconds) && int.TryParse(seconds, out var wipe))
            json["channelData"] = new JsonObject { [ResetAfterSeconds] = wipe };
        if (reply.SuggestedActions.Count > 0)
            json["suggestedActions"] = new JsonObject { ["actions"] = new JsonArray(reply.SuggestedActions.Select(a => (JsonNode)Action(a)).ToArray()) };
        return json;
    }

    static JsonObject HeroCard(Card card)
    {
        var text = new StringBuilder(card.Text ?? "");
        foreach (var fact in card.Facts)
            text.Append(text.Length > 0 ? "\n" : "").Append(fact.Label).Append(": ").Append(fact.Value);
        var content = new JsonObject { ["title"] = EscapeMarkdown(card.Title) };
        if (card.Subtitle is not null)
            content["subtitle"] = EscapeMarkdown(card.Subtitle);
        // Card text is Markdown to Web Chat: a single line break would join the lines, so each becomes a paragraph.
        if (text.Length > 0)
            content["text"] = EscapeMarkdown(text.ToString()).Replace("\n", "\n\n", StringComparison.Ordinal);
        if (card.ImageUrl is not null && (IsWebUrl(card.ImageUrl) || IsHostedPath(card.ImageUrl)))
            content["images"] = new JsonArray(new JsonObject { ["url"] = card.ImageUrl, ["alt"] = card.Title });
        var buttons = card.Buttons.Where(b => b.Kind != CardActionKind.OpenUrl || IsWebUrl(b.Value)).Select(b => (JsonNode)Action(b)).ToArray();
        if (buttons.Length > 0)
            content["buttons"] = new JsonArray(buttons);
        return new JsonObject { ["contentType"] = "application/vnd.microsoft.card.hero", ["content"] = content };
    }

    static JsonObject Action(CardAction action) => action.Kind switch
    {
        // messageBack sends the command as its value; the title goes along as text so Web Chat shows it as the
        // visitor's bubble. A value carrying a command wins over the text when it comes back.
        CardActionKind.Command => new JsonObject
        {
            ["type"] = "messageBack",
            ["title"] = action.Title,
            ["text"] = action.Title,
            ["displayText"] = action.Title,
            ["value"] = CommandValue(action.Value, action.CommandArgument),
        },
        CardActionKind.OpenUrl => new JsonObject { ["type"] = "openUrl", ["title"] = action.Title, ["value"] = action.Value },
        _ => new JsonObject { ["type"] = "imBack", ["title"] = action.Title, ["value"] = action.Value },
    };

    public static JsonObject CommandValue(string command, string? argument)
    {
        var value = new JsonObject { ["cmd"] = command };
        if (argument is not null)
            value["arg"] = argument;
        return value;
    }

    /// <summary>A photo this host serves (/listings/photos/…): the kiosk page loads it from its own origin.</summary>
    static bool IsHostedPath(string url) => url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\');

    static bool IsWebUrl(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "https" or "http";

    /// <summary>Card text is rendered as Markdown by Web Chat; escape it so titles and citations stay literal.</summary>
    public static string EscapeMarkdown(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '!' or '<' or '>' or '#' or '|' or '~')
                sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
