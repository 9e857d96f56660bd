using System.Text.Json.Nodes;
using FrontDesk.Bot.Conversations;

namespace FrontDesk.Bot.Line;

/// <summary>
/// Turns engine activities into LINE message objects: text (split at 5,000 UTF-16 units), quick replies (at most 13,
/// from suggested actions), Flex bubbles for cards and carousels of at most 12 bubbles. Buttons that carry a command
/// become postback actions in the <see cref="PostbackData"/> format.
/// </summary>
public sealed class LineRenderer
{
    public const int MaxTextLength = 5000;
    public const int MaxQuickReplyItems = 13;
    public const int MaxCarouselBubbles = 12;
    public const int MaxMessagesPerCall = 5;
    const int QuickReplyLabelLength = 20;
    const int ButtonLabelLength = 40;
    const int AltTextLength = 400;

    public List<JsonObject> Render(IEnumerable<Activity> activities)
    {
        var messages = new List<JsonObject>();
        foreach (var activity in activities)
        {
            var own = new List<JsonObject>();
            if (!string.IsNullOrWhiteSpace(activity.Text))
                own.AddRange(SplitText(activity.Text).Select(Text));
            if (activity.Cards.Count > 0)
                own.AddRange(Cards(activity));
            var quick = QuickReply(activity.SuggestedActions);
            if (quick is not null)
            {
                // LINE shows the quick reply of the last message received; an activity with buttons only still needs one.
                if (own.Count == 0)
                    own.Add(Text("選択してください。"));
                own[^1]["quickReply"] = quick;
            }
            messages.AddRange(own);
        }
        return messages;
    }

    /// <summary>Groups messages into API calls of at most five.</summary>
    public static List<List<JsonObject>> Batches(IReadOnlyList<JsonObject> messages) =>
        messages.Chunk(MaxMessagesPerCall).Select(c => c.ToList()).ToList();

    public static JsonObject Text(string text) => new() { ["type"] = "text", ["text"] = text };

    /// <summary>Pieces of at most 5,000 UTF-16 units, cut after a line break or sentence end where possible, never inside a surrogate pair.</summary>
    public static IEnumerable<string> SplitText(string text, int max = MaxTextLength)
    {
        var rest = text.AsMemory();
        while (rest.Length > max)
        {
            var window = rest.Span[..max];
            var cut = window.LastIndexOf('\n') + 1;
            if (cut < max / 2)
                cut = window.LastIndexOfAny('。', '．', '.') + 1;
            if (cut < max / 2)
                cut = window.LastIndexOfAny(' ', '、', '　') + 1;
            if (cut < max / 2)
                cut = char.IsHighSurrogate(window[max - 1]) ? max - 1 : max;
            var piece = rest[..cut].ToString().TrimEnd();
            if (piece.Length > 0)
                yield return piece;
            rest = rest[cut..];
        }
        var last = rest.ToString().Trim();
        if (last.Length > 0)
            yield return last;
    }

    IEnumerable<JsonObject> Cards(Activity activity)
    {
        if (activity.Layout == CardLayout.Carousel && activity.Cards.Count > 1)
        {
            foreach (var chunk in activity.Cards.Chunk(MaxCarouselBubbles))
                yield return new JsonObject
                {
                    ["type"] = "flex",
                    ["altText"] = Clip(activity.Text ?? string.Join(" / ", chunk.Select(c => c.Title)), AltTextLength),
                    ["contents"] = new JsonObject
                    {
                        ["type"] = "carousel",
                        ["contents"] = new JsonArray(chunk.Select(c => (JsonNode)Bubble(c)).ToArray()),
                    },
                };
            yield break;
        }
        foreach (var card in activity.Cards)
            yield return new JsonObject
            {
                ["type"] = "flex",
                ["altText"] = Clip(string.IsNullOrWhiteSpace(card.Text) ? card.Title : card.Title + "\n" + card.Text, AltTextLength),
                ["contents"] = Bubble(card),
            };
    }

    static JsonObject Bubble(Card card)
    {
        var body = new JsonArray { FlexText(card.Title, size: "lg", bold: true) };
        if (!string.IsNullOrWhiteSpace(card.Subtitle))
            body.Add(FlexText(card.Subtitle, size: "sm", color: "#888888"));
        if (!string.IsNullOrWhiteSpace(card.Text))
            body.Add(FlexText(card.Text, size: "sm"));
        foreach (var fact in card.Facts.Where(f => !string.IsNullOrWhiteSpace(f.Label) && !string.IsNullOrWhiteSpace(f.Value)))
            body.Add(new JsonObject
            {
                ["type"] = "box",
                ["layout"] = "baseline",
                ["spacing"] = "sm",
                ["contents"] = new JsonArray
                {
                    FlexText(fact.Label, size: "sm", color: "#888888", flex: 2),
                    FlexText(fact.Value, size: "sm", flex: 5),
                },
            });

        var bubble = new JsonObject
        {
            ["type"] = "bubble",
            ["body"] = new JsonObject { ["type"] = "box", ["layout"] = "vertical", ["spacing"] = "sm", ["contents"] = body },
        };
        if (card.ImageUrl is { } url && IsLineImage(url))
            bubble["hero"] = new JsonObject { ["type"] = "image", ["url"] = url, ["size"] = "full", ["aspectMode"] = "cover", ["aspectRatio"] = "20:13" };
        var buttons = card.Buttons.Select(b => Action(b, ButtonLabelLength)).OfType<JsonObject>().ToList();
        if (buttons.Count > 0)
            bubble["footer"] = new JsonObject
            {
                ["type"] = "box",
                ["layout"] = "vertical",
                ["spacing"] = "sm",
                ["contents"] = new JsonArray(buttons.Select((action, i) => (JsonNode)new JsonObject
                {
                    ["type"] = "button",
                    ["style"] = i == 0 ? "primary" : "secondary",
                    ["height"] = "sm",
                    ["action"] = action,
                }).ToArray()),
            };
        return bubble;
    }

    /// <summary>LINE fetches images itself: only absolute https addresses of JPEG or PNG files (no SVG) can be shown.</summary>
    static bool IsLineImage(string url) =>
        url.StartsWith("https://", StringComparison.Ordinal) && url.Length <= 2000
        && Uri.TryCreate(url, UriKind.Absolute, out var u) && !u.AbsolutePath.EndsWith(".svg", StringComparison.OrdinalIgnoreCase);

    static JsonObject FlexText(string text, string size, bool bold = false, string? color = null, int? flex = null)
    {
        var t = new JsonObject { ["type"] = "text", ["text"] = Clip(text, 2000), ["size"] = size, ["wrap"] = true };
        if (bold)
            t["weight"] = "bold";
        if (color is not null)
            t["color"] = color;
        if (flex is not null)
            t["flex"] = flex;
        return t;
    }

    static JsonObject? QuickReply(IReadOnlyList<CardAction> actions)
    {
        var items = actions.Select(a => Action(a, QuickReplyLabelLength)).OfType<JsonObject>().Take(MaxQuickReplyItems)
            .Select(a => (JsonNode)new JsonObject { ["type"] = "action", ["action"] = a }).ToArray();
        return items.Length == 0 ? null : new JsonObject { ["items"] = new JsonArray(items) };
    }

    /// <summary>A LINE action for a button; null for a link that is not http(s), which LINE would refuse.</summary>
    static JsonObject? Action(CardAction action, int labelLength)
    {
        var label = Clip(action.Title, labelLength);
        switch (action.Kind)
        {
            case CardActionKind.OpenUrl:
                return Uri.TryCreate(action.Value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
                    ? new JsonObject { ["type"] = "uri", ["label"] = label, ["uri"] = action.Value }
                    : null;
            case CardActionKind.Command when PostbackData.Encode(action.Value, action.CommandArgument) is { } data:
                // displayText shows the choice in the chat as if the user had typed it.
                return new JsonObject { ["type"] = "postback", ["label"] = label, ["data"] = data, ["displayText"] = Clip(action.Title, 300) };
            default:
                return new JsonObject { ["type"] = "message", ["label"] = label, ["text"] = Clip(action.Kind == CardActionKind.Message ? action.Value : action.Title, 300) };
        }
    }

    static string Clip(string text, int max)
    {
        if (text.Length <= max)
            return text;
        var cut = char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1;
        return text[..cut] + "…";
    }
}
