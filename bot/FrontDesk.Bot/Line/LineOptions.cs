using System.ComponentModel.DataAnnotations;

namespace FrontDesk.Bot.Line;

public sealed class LineOptions
{
    public const string SectionName = "Line";

    /// <summary>Signs webhooks (HMAC-SHA256). From the environment only (Line__ChannelSecret); never logged.</summary>
    public string ChannelSecret { get; set; } = "";

    /// <summary>Bearer token for the Messaging API (Line__ChannelAccessToken); never logged.</summary>
    public string ChannelAccessToken { get; set; } = "";

    [Required, Url]
    public string ApiBaseUrl { get; set; } = "https://api.line.me";

    /// <summary>Blob endpoints such as rich-menu images.</summary>
    [Required, Url]
    public string DataApiBaseUrl { get; set; } = "https://api-data.line.me";

    /// <summary>Larger webhook bodies are refused with 413; LINE's are a few KB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxWebhookBytes { get; set; } = 1024 * 1024;

    /// <summary>LINE asks to use a reply token within one minute of the event; past this age the answer goes by push.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReplyTokenMaxAge { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>Retries of a push after 429, 5xx or a timeout, with the same retry key.</summary>
    [Range(0, 10)]
    public int PushRetries { get; set; } = 4;

    /// <summary>First back-off of push retries; doubles each time, with jitter. 429's Retry-After wins when present.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan PushRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Per-attempt time limit of a Messaging API call.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A turn still running after this long shows LINE's loading animation in 1:1 chats.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan LoadingAnimationAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Webhook event ids are kept this long to recognise redeliveries.</summary>
    [Range(1, 365)]
    public int InboxRetentionDays { get; set; } = 30;

    public bool Enabled => ChannelSecret.Length > 0 && ChannelAccessToken.Length > 0;
}
