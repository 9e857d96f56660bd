namespace FrontDesk.Bot.Registration;

/// <summary>
/// How involved a registrant is, from the staff's involvement log over the last twelve months: each visit, event or
/// donation counts 1, each stay 2. 0 → 登録のみ, 1–2 → ときどき, 3–5 → 継続的, 6 or more → 担い手.
/// </summary>
public static class Engagement
{
    public static readonly string[] Kinds = ["visit", "event", "stay", "donation"];

    public static string KindName(string kind) => kind switch
    {
        "visit" => "訪問", "event" => "イベント参加", "stay" => "滞在", "donation" => "寄附", _ => kind,
    };

    public static int Points(IEnumerable<Involvement> log, DateOnly today) =>
        log.Where(i => i.OccurredOn > today.AddYears(-1) && i.OccurredOn <= today).Sum(i => i.Kind == "stay" ? 2 : 1);

    public static string Level(int points) => points switch
    {
        0 => "登録のみ",
        <= 2 => "ときどき",
        <= 5 => "継続的",
        _ => "担い手",
    };
}
