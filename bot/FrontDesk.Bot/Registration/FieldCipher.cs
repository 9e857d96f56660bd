using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Registration;

/// <summary>A value encrypted with one key: the key's id and nonce ‖ tag ‖ ciphertext.</summary>
public sealed record Sealed(string KeyId, byte[] Data);

/// <summary>
/// AES-256-GCM for personal fields, and keyed HMAC-SHA256 blind indexes so rows can be found by LINE user or
/// e-mail without storing either. The purpose string is bound as associated data: a draft cannot be replayed as a
/// registration.
/// </summary>
public sealed class FieldCipher(IOptions<RegistrationOptions> options)
{
    const int NonceSize = 12;
    const int TagSize = 16;

    public bool Enabled => options.Value.Enabled;
    public string ActiveKeyId => options.Value.ActiveKey;

    public Sealed Seal(string purpose, string plaintext)
    {
        var keyId = options.Value.ActiveKey;
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var data = new byte[NonceSize + TagSize + plain.Length];
        var nonce = data.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key(keyId), TagSize);
        aes.Encrypt(nonce, plain, data.AsSpan(NonceSize + TagSize), data.AsSpan(NonceSize, TagSize), Aad(purpose, keyId));
        return new Sealed(keyId, data);
    }

    public string Open(string purpose, Sealed value)
    {
        var data = value.Data;
        if (data.Length < NonceSize + TagSize)
            throw new CryptographicException("Sealed value is too short.");
        var plain = new byte[data.Length - NonceSize - TagSize];
        using var aes = new AesGcm(Key(value.KeyId), TagSize);
        aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize + TagSize), data.AsSpan(NonceSize, TagSize), plain, Aad(purpose, value.KeyId));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>Deterministic and keyed: equal inputs give equal indexes; without the key nothing can be guessed from it.</summary>
    public byte[] Index(string purpose, string value) =>
        HMACSHA256.HashData(Convert.FromBase64String(options.Value.IndexKey), Encoding.UTF8.GetBytes(purpose + "\n" + value));

    byte[] Key(string keyId) => options.Value.Keys.TryGetValue(keyId, out var key)
        ? Convert.FromBase64String(key)
        : throw new CryptographicException($"Registration key '{keyId}' is not configured.");

    static byte[] Aad(string purpose, string keyId) => Encoding.UTF8.GetBytes(purpose + "\n" + keyId);
}
