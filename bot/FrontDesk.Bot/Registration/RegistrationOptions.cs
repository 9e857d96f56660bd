using System.ComponentModel.DataAnnotations;

namespace FrontDesk.Bot.Registration;

/// <summary>Furusato registration settings. Keys come from the environment (Registration__Keys__&lt;id&gt;=base64 of 32 bytes).</summary>
public sealed class RegistrationOptions : IValidatableObject
{
    public const string SectionName = "Registration";

    /// <summary>Encryption keys by id. Old ids stay configured so older data still decrypts until re-encrypted.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>The key id new data is encrypted with. Empty with no keys: registration is switched off.</summary>
    public string ActiveKey { get; set; } = "";

    /// <summary>Base64 key (32+ bytes) for the blind indexes (LINE user, e-mail). Never rotated without re-indexing.</summary>
    public string IndexKey { get; set; } = "";

    /// <summary>How long an unfinished form is kept for resuming.</summary>
    [Range(1, 365)]
    public int DraftDays { get; set; } = 14;

    /// <summary>A kiosk form cannot be resumed elsewhere; its encrypted draft goes after this long at most.</summary>
    [Range(1, 1440)]
    public int KioskDraftMinutes { get; set; } = 30;

    /// <summary>Seconds the kiosk shows the last message (the registration number) before it wipes the screen.</summary>
    [Range(0, 600)]
    public int KioskWipeSeconds { get; set; } = 20;

    /// <summary>Where people reach this host, for the privacy notice link in chat messages.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    public bool Enabled => ActiveKey.Length > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ActiveKey.Length == 0 && Keys.Count == 0)
            yield break;
        if (!Keys.ContainsKey(ActiveKey))
            yield return new ValidationResult($"Registration:ActiveKey must name one of Registration:Keys ({string.Join(", ", Keys.Keys)}).");
        foreach (var (id, key) in Keys)
        {
            if (id.Length is 0 or > 16 || !id.All(char.IsAsciiLetterOrDigit))
                yield return new ValidationResult("Registration:Keys ids are 1-16 ASCII letters or digits.");
            if (!IsKey(key, exactly: 32))
                yield return new ValidationResult($"Registration:Keys:{id} must be base64 of exactly 32 bytes.");
        }
        if (!IsKey(IndexKey, exactly: null))
            yield return new ValidationResult("Registration:IndexKey must be base64 of at least 32 bytes.");
    }

    static bool IsKey(string s, int? exactly)
    {
        var buffer = new byte[s.Length];
        return Convert.TryFromBase64String(s, buffer, out var written) && (exactly is { } n ? written == n : written >= 32);
    }
}
