using System.ComponentModel.DataAnnotations;

namespace FrontDesk.Bot.Kiosk;

public sealed class KioskOptions : IValidatableObject
{
    public const string SectionName = "Kiosk";

    /// <summary>Touch-screen devices allowed to start conversations, each with its own key (from the environment).</summary>
    public List<KioskDevice> Devices { get; set; } = [];

    /// <summary>Base64 HMAC key for conversation tokens. Empty: a random key per process (tokens do not survive a restart or reach another host).</summary>
    public string TokenSigningKey { get; set; } = "";

    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Seconds without a touch before the page shows the countdown, and how long the countdown lasts.</summary>
    [Range(5, 3600)]
    public int IdleSeconds { get; set; } = 90;

    [Range(3, 120)]
    public int CountdownSeconds { get; set; } = 15;

    /// <summary>Web Chat receives over the WebSocket stream; false makes it poll instead.</summary>
    public bool WebSocket { get; set; } = true;

    /// <summary>How often the page polls for new activities when it polls (Direct Line's lower bound is 200 ms).</summary>
    [Range(200, 10_000)]
    public int PollingIntervalMs { get; set; } = 250;

    /// <summary>The LINE link the QR code opens. "{code}" is replaced by the message carrying the continuation code.</summary>
    public string LineAddFriendUrl { get; set; } = "";

    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan ContinuationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Posts a device may burst, and how many it regains per minute, before it gets 429.</summary>
    [Range(1, 100_000)]
    public int PostBurst { get; set; } = 20;

    [Range(1, 1_000_000)]
    public int PostsPerMinute { get; set; } = 60;

    /// <summary>Largest activity body accepted; Direct Line itself allows 256K, a kiosk message needs far less.</summary>
    [Range(1024, 262_144)]
    public int MaxActivityBytes { get; set; } = 32_768;

    /// <summary>Where the built front-end lives (kiosk/dist), relative to the content root.</summary>
    public string PageFolder { get; set; } = "../../kiosk/dist";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (device, i) in Devices.Select((d, i) => (d, i)))
        {
            if (string.IsNullOrWhiteSpace(device.Name))
                yield return new ValidationResult($"Kiosk:Devices:{i}:Name is required.");
            var hasKey = device.Key is { Length: >= 16 };
            var hasHash = device.KeySha256 is { Length: 64 } h && h.All(Uri.IsHexDigit);
            if (!hasKey && !hasHash)
                yield return new ValidationResult($"Kiosk:Devices:{i} needs a Key of at least 16 characters or a KeySha256 (64 hex digits).");
        }
        if (Devices.Select(d => d.Name).Distinct(StringComparer.Ordinal).Count() != Devices.Count)
            yield return new ValidationResult("Kiosk:Devices names must be unique.");
        if (TokenSigningKey.Length > 0 && !IsLongBase64(TokenSigningKey))
            yield return new ValidationResult("Kiosk:TokenSigningKey must be base64 of at least 32 bytes.");
    }

    static bool IsLongBase64(string s)
    {
        var buffer = new byte[s.Length];
        return Convert.TryFromBase64String(s, buffer, out var written) && written >= 32;
    }
}

public sealed class KioskDevice
{
    public string Name { get; set; } = "";
    /// <summary>The device's secret; only its SHA-256 is kept after start-up.</summary>
    public string? Key { get; set; }
    /// <summary>Alternatively the hex SHA-256 of the key, so the plain key need not be configured on the server at all.</summary>
    public string? KeySha256 { get; set; }
}
