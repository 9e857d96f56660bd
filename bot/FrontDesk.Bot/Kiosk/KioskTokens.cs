using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Kiosk;

/// <summary>What a valid conversation token says: which conversation, from which device, until when.</summary>
public sealed record KioskToken(string ConversationId, string Device, DateTimeOffset ExpiresAt);

public enum TokenCheck { Valid, Missing, Malformed, Expired }

/// <summary>
/// Short-lived conversation tokens: "fdk1.{payload}.{signature}", the payload naming the conversation, the device,
/// the expiry and a nonce, signed with HMAC-SHA256. They are not stored; revocation is the conversation's end, checked on each use.
/// </summary>
public sealed class KioskTokens
{
    const string Prefix = "fdk1.";
    readonly byte[] key;
    readonly TimeProvider time;
    readonly TimeSpan lifetime;

    public KioskTokens(IOptions<KioskOptions> options, TimeProvider time)
    {
        var o = options.Value;
        key = o.TokenSigningKey.Length > 0 ? Convert.FromBase64String(o.TokenSigningKey) : RandomNumberGenerator.GetBytes(32);
        IsEphemeral = o.TokenSigningKey.Length == 0;
        this.time = time;
        lifetime = o.TokenLifetime;
    }

    public bool IsEphemeral { get; }
    public TimeSpan Lifetime => lifetime;

    public string Issue(string conversationId, string device)
    {
        var expires = time.GetUtcNow() + lifetime;
        // A random nonce makes every token distinct, even two issued in the same second.
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(9));
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{conversationId}\n{device}\n{expires.ToUnixTimeSeconds()}\n{nonce}"));
        return Prefix + payload + "." + Sign(payload);
    }

    public TokenCheck Check(string? token, out KioskToken? parsed)
    {
        parsed = null;
        if (string.IsNullOrEmpty(token))
            return TokenCheck.Missing;
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 512)
            return TokenCheck.Malformed;
        var rest = token[Prefix.Length..];
        var dot = rest.IndexOf('.');
        if (dot <= 0)
            return TokenCheck.Malformed;
        var payload = rest[..dot];
        var signature = rest[(dot + 1)..];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(payload)), Encoding.ASCII.GetBytes(signature)))
            return TokenCheck.Malformed;
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(payload)).Split('\n');
        }
        catch (FormatException)
        {
            return TokenCheck.Malformed;
        }
        if (parts.Length != 4 || !long.TryParse(parts[2], out var unix))
            return TokenCheck.Malformed;
        var expires = DateTimeOffset.FromUnixTimeSeconds(unix);
        if (expires <= time.GetUtcNow())
            return TokenCheck.Expired;
        parsed = new KioskToken(parts[0], parts[1], expires);
        return TokenCheck.Valid;
    }

    string Sign(string payload) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(Prefix + payload)));
}

/// <summary>The configured devices, by the SHA-256 of their keys; the keys themselves are not kept.</summary>
public sealed class KioskDevices
{
    readonly List<(string Name, byte[] Hash)> devices;

    public KioskDevices(IOptions<KioskOptions> options)
    {
        devices = options.Value.Devices
            .Select(d => (d.Name, d.KeySha256 is { Length: 64 } hex ? Convert.FromHexString(hex) : Hash(d.Key!)))
            .ToList();
    }

    public int Count => devices.Count;

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The device whose key this is, or null. Compares every hash in constant time.</summary>
    public string? Authenticate(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 512)
            return null;
        var hash = Hash(key);
        string? found = null;
        foreach (var (name, expected) in devices)
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
                found = name;
        return found;
    }
}
