namespace FrontDesk.Bot.Conversations;

/// <summary>
/// The office the front desk speaks for (configuration section <c>Office</c>): its name, the prefecture it serves, how the
/// bot refers to it, and how to reach it. Opening hours are <c>OfficeHours</c>. An empty value is never invented: the bot
/// offers a coordinator instead.
/// </summary>
public sealed class OfficeProfile
{
    public const string SectionName = "Office";

    public string Name { get; set; } = "移住・二地域居住の相談窓口";
    public string NameEn { get; set; } = "Relocation and dual-residence help desk";
    /// <summary>The prefecture whose office this is (「〇〇県」).</summary>
    public string Prefecture { get; set; } = "";
    public string PrefectureEn { get; set; } = "";
    /// <summary>How the bot refers to the office in its own sentences (「当センター」).</summary>
    public string SelfReference { get; set; } = "当窓口";
    public string SelfReferenceEn { get; set; } = "our office";
    public string Address { get; set; } = "";
    public string AddressEn { get; set; } = "";
    public string Access { get; set; } = "";
    public string AccessEn { get; set; } = "";
    public string Phone { get; set; } = "";
    public string Email { get; set; } = "";

    public LocalText DisplayName => new(Name, NameEn.Length > 0 ? NameEn : Name);
    public LocalText Self => new(SelfReference, SelfReferenceEn.Length > 0 ? SelfReferenceEn : SelfReference);
    public LocalText? AddressText => Address.Length == 0 ? null : new(Address, AddressEn.Length > 0 ? AddressEn : Address);
    public LocalText? AccessText => Access.Length == 0 ? null : new(Access, AccessEn.Length > 0 ? AccessEn : Access);
}
