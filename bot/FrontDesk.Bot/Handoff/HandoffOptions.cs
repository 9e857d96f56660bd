using System.ComponentModel.DataAnnotations;

namespace FrontDesk.Bot.Handoff;

public sealed class HandoffOptions
{
    public const string SectionName = "Handoff";

    /// <summary>Knowledge answers declined in a row before the bot offers a person on its own.</summary>
    [Range(1, 1000)]
    public int DeclinesBeforeHandoff { get; set; } = 2;

    /// <summary>Phrases that always go to a person, by reason. Matched on the NFKC-normalised, lower-cased message.</summary>
    public Dictionary<string, string[]> Topics { get; set; } = new()
    {
        ["emergency"] = ["緊急", "救急", "火事", "事故にあ", "助けて", "警察", "emergency"],
        ["complaint"] = ["苦情", "クレーム", "ひどい対応", "責任者", "complaint"],
        ["personal"] = ["離婚", "dv", "虐待", "借金", "死にたい", "自殺", "介護が必要", "病気で"],
        ["application"] = ["私の申請", "申請の結果", "審査の結果", "審査結果", "申請状況", "不支給", "支給されない", "いつ振り込まれ"],
    };

    /// <summary>Words that show the user is losing patience with the bot.</summary>
    public string[] FrustrationPhrases { get; set; } =
        ["役に立たない", "使えない", "意味がわからない", "意味が分からない", "答えになってない", "ふざけ", "最悪", "もういい", "useless", "not helpful"];

    /// <summary>The same question this many times in a row counts as frustration.</summary>
    [Range(2, 10)]
    public int RepeatsBeforeHandoff { get; set; } = 3;

    [Range(1, 600)]
    public int ExpectedWaitMinutes { get; set; } = 5;

    /// <summary>While waiting, at most one "still waiting" notice per this many minutes.</summary>
    [Range(1, 120)]
    public int WaitingNoticeMinutes { get; set; } = 10;

    /// <summary>A waiting conversation nobody claimed after this long gets a reminder to the user and an overdue mark.</summary>
    [Range(1, 1440)]
    public int ReminderMinutes { get; set; } = 10;

    /// <summary>Days a callback request (with the user's phone number or e-mail) is kept before it is deleted.</summary>
    [Range(1, 365)]
    public int CallbackRetentionDays { get; set; } = 30;
}

/// <summary>When the office answers, in its time zone (<see cref="FrontDesk.Jobs.JapanTime"/>).</summary>
public sealed class OfficeHoursOptions
{
    public const string SectionName = "OfficeHours";

    public DayOfWeek[] Days { get; set; } = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
    public TimeOnly Opens { get; set; } = new(9, 0);
    public TimeOnly Closes { get; set; } = new(17, 0);
    /// <summary>Days the office is closed although they are listed in <see cref="Days"/> (public holidays, year-end).</summary>
    public DateOnly[] Closed { get; set; } = [];
}
