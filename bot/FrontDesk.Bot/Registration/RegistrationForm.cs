namespace FrontDesk.Bot.Registration;

/// <summary>What a furusato resident gives us. Serialised only inside encrypted payloads.</summary>
public sealed class RegistrationForm
{
    public string? NameKanji { get; set; }
    public string? NameKana { get; set; }
    /// <summary>"" when the person chose to give no e-mail address.</summary>
    public string? Email { get; set; }
    /// <summary>Digits only; "" when none was given.</summary>
    public string? Phone { get; set; }
    /// <summary>Seven digits.</summary>
    public string? PostalCode { get; set; }
    public string? Address { get; set; }
    /// <summary>"" when skipped.</summary>
    public string? BirthYear { get; set; }
    public List<string>? Relations { get; set; }
    public List<string>? Municipalities { get; set; }
    public string? Plan { get; set; }
    public List<string>? Topics { get; set; }
}

/// <summary>A stored registration, decrypted.</summary>
public sealed record RegistrationRecord(long Id, string Number, string Channel, string Plan, RegistrationForm Form,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool HasOwner, long? MergedInto);

public sealed record Involvement(long Id, string Kind, DateOnly OccurredOn, string? Note, string AddedBy, DateTimeOffset AddedAt);

/// <summary>An unfinished form. <see cref="SubmittedNumber"/> is set once it became a registration.</summary>
public sealed record Draft(RegistrationForm Form, long? ConsentId, string? SubmittedNumber, long? EditingId);
