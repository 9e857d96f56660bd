using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace FrontDesk.FakeLine;

/// <summary>Webhook event objects as LINE sends them (webhook.yml), with fresh ids and reply tokens.</summary>
public sealed class LineEvents(FakeLinePlatform? platform)
{
    public JsonObject Text(string userId, string text, DateTimeOffset? at = null, string mode = "active") =>
        Message(userId, new JsonObject { ["type"] = "text", ["id"] = NewMessageId(), ["text"] = text, ["quoteToken"] = NewId(16) }, at, mode);

    public JsonObject Sticker(string userId) =>
        Message(userId, new JsonObject { ["type"] = "sticker", ["id"] = NewMessageId(), ["packageId"] = "446", ["stickerId"] = "1988", ["stickerResourceType"] = "STATIC", ["quoteToken"] = NewId(16) });

    public JsonObject Image(string userId) =>
        Message(userId, new JsonObject { ["type"] = "image", ["id"] = NewMessageId(), ["contentProvider"] = new JsonObject { ["type"] = "line" }, ["quoteToken"] = NewId(16) });

    public JsonObject Location(string userId) =>
        Message(userId, new JsonObject { ["type"] = "location", ["id"] = NewMessageId(), ["latitude"] = 35.68, ["longitude"] = 139.76, ["address"] = "東京都千代田区" });

    public JsonObject Message(string userId, JsonObject message, DateTimeOffset? at = null, string mode = "active")
    {
        var e = Base("message", userId, at, mode);
        e["replyToken"] = platform!.IssueReplyToken(userId);
        e["message"] = message;
        return e;
    }

    public JsonObject Postback(string userId, string data, DateTimeOffset? at = null)
    {
        var e = Base("postback", userId, at, "active");
        e["replyToken"] = platform!.IssueReplyToken(userId);
        e["postback"] = new JsonObject { ["data"] = data };
        return e;
    }

    public JsonObject Follow(string userId, DateTimeOffset? at = null)
    {
        var e = Base("follow", userId, at, "active");
        e["replyToken"] = platform!.IssueReplyToken(userId);
        e["follow"] = new JsonObject { ["isUnblocked"] = false };
        return e;
    }

    public JsonObject Unfollow(string userId, DateTimeOffset? at = null) => Base("unfollow", userId, at, "active");

    public JsonObject Unsend(string userId, string messageId)
    {
        var e = Base("unsend", userId, null, "active");
        e["unsend"] = new JsonObject { ["messageId"] = messageId };
        return e;
    }

    /// <summary>A copy of the event as LINE redelivers it: same webhookEventId, flagged as a redelivery.</summary>
    public static JsonObject Redelivery(JsonObject original)
    {
        var copy = (JsonObject)original.DeepClone();
        copy["deliveryContext"] = new JsonObject { ["isRedelivery"] = true };
        return copy;
    }

    public JsonObject Base(string type, string userId, DateTimeOffset? at, string mode) => new()
    {
        ["type"] = type,
        ["mode"] = mode,
        ["timestamp"] = (at ?? (platform?.Time ?? TimeProvider.System).GetUtcNow()).ToUnixTimeMilliseconds(),
        ["source"] = new JsonObject { ["type"] = "user", ["userId"] = userId },
        ["webhookEventId"] = NewUlid(),
        ["deliveryContext"] = new JsonObject { ["isRedelivery"] = false },
    };

    public static string NewUserId() => "U" + NewId(16);

    static long messageIds = 100_000_000_000_000;
    static string NewMessageId() => Interlocked.Increment(ref messageIds).ToString();

    static string NewId(int bytes) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant();

    /// <summary>26 Crockford base-32 characters: 48 bits of milliseconds then 80 random bits, like LINE's ids.</summary>
    static string NewUlid()
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        Span<byte> bytes = stackalloc byte[16];
        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--, ms >>= 8)
            bytes[i] = (byte)ms;
        RandomNumberGenerator.Fill(bytes[6..]);
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var chars = new char[26];
        for (var i = 25; i >= 0; i--, value >>= 5)
            chars[i] = alphabet[(int)(value & 31)];
        return new string(chars);
    }
}
