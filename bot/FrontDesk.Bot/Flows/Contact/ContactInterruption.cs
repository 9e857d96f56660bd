using FrontDesk.Bot.Conversations;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Flows.Contact;

public sealed class OfficeOptions
{
    public const string SectionName = "Office";

    public string Name { get; set; } = "東京事務所 移住・二地域居住相談窓口";
    public string NameEn { get; set; } = "Tokyo office, relocation and dual-residence desk";
    /// <summary>Office hours as shown to users, e.g. "平日 9:00〜17:00（祝日・年末年始を除く）".</summary>
    public string Hours { get; set; } = "平日 9:00〜17:00（祝日・年末年始を除く）";
    public string HoursEn { get; set; } = "Weekdays 9:00-17:00 (except public holidays and the New Year break)";
    /// <summary>Empty until the office configures it; never guessed.</summary>
    public string Phone { get; set; } = "";
}

/// <summary>"相談員と話したい": tells the user how to reach a coordinator, then returns to what they were doing.</summary>
public sealed class ContactInterruption(IOptions<OfficeOptions> office) : Interruption
{
    public override string Command => Commands.Contact;
    public override IReadOnlyList<string> Triggers { get; } =
        ["相談員と話したい", "相談員と話す", "相談員", "人と話したい", "スタッフ", "スタッフを呼ぶ", "担当者", "talk to a person", "talk to a human", "coordinator", "staff"];

    public override Task RunAsync(TurnContext turn, CancellationToken ct)
    {
        var o = office.Value;
        var phone = string.IsNullOrWhiteSpace(o.Phone) ? "" : turn.T($"\nお電話: {o.Phone}", $"\nPhone: {o.Phone}");
        turn.Say(
            $"二地域居住コーディネーター（相談員）がご相談をお受けします。\n{o.Name}\n受付: {o.Hours}{phone}",
            $"Our dual-residence coordinators are happy to help.\n{o.NameEn}\nHours: {o.HoursEn}{phone}");
        return Task.CompletedTask;
    }
}
