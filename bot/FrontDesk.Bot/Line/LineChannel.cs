namespace FrontDesk.Bot.Line;

/// <summary>Names shared by the LINE adapter's parts.</summary>
public static class LineChannel
{
    /// <summary>The channel part of a LINE conversation's address; the id is the user, group or room id.</summary>
    public const string Name = "line";

    /// <summary>Keys of Activity.ChannelData for LINE activities.</summary>
    public static class Data
    {
        public const string ReplyToken = "replyToken";
        public const string WebhookEventId = "webhookEventId";
        /// <summary>"user", "group" or "room".</summary>
        public const string Chat = "chat";
        public const string Redelivery = "redelivery";
    }

    /// <summary>Engine events only the LINE adapter produces and its middleware handles.</summary>
    public static class Events
    {
        public const string Unsend = "line.unsend";
        /// <summary>A sticker, image, location or other message the bot cannot read; the value is LINE's message type.</summary>
        public const string UnsupportedMessage = "line.unsupported";
    }
}
