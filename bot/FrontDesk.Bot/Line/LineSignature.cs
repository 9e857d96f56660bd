using System.Security.Cryptography;
using System.Text;

namespace FrontDesk.Bot.Line;

/// <summary>x-line-signature: Base64(HMAC-SHA256(key = channel secret, data = the raw request body bytes)).</summary>
public static class LineSignature
{
    public static string Compute(string channelSecret, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(channelSecret), body));

    public static bool Verify(string channelSecret, ReadOnlySpan<byte> body, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length > 64)
            return false;
        Span<byte> given = stackalloc byte[48];
        if (!Convert.TryFromBase64String(signature, given, out var length) || length != 32)
            return false;
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(channelSecret), body, expected);
        // Constant time, so the comparison leaks nothing about how many bytes matched.
        return CryptographicOperations.FixedTimeEquals(expected, given[..length]);
    }
}
