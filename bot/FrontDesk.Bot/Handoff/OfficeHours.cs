using System.Globalization;
using FrontDesk.Bot.Conversations;
using FrontDesk.Jobs;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Handoff;

/// <summary>Whether coordinators are at their desks, judged in the office's time zone (Asia/Tokyo) with its closed days.</summary>
public sealed class OfficeHours(IOptions<OfficeHoursOptions> options)
{
    public bool IsOpen(DateTimeOffset when)
    {
        var local = JapanTime.ToLocal(when);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return IsWorkingDay(DateOnly.FromDateTime(local.DateTime)) && time >= options.Value.Opens && time < options.Value.Closes;
    }

    public DateTime LocalTime(DateTimeOffset when) => JapanTime.ToLocal(when).DateTime;

    /// <summary>The next moment the office opens, in its local time (for telling the user).</summary>
    public DateTime NextOpening(DateTimeOffset after)
    {
        var local = JapanTime.ToLocal(after).DateTime;
        var day = DateOnly.FromDateTime(local);
        if (TimeOnly.FromDateTime(local) >= options.Value.Opens)
            day = day.AddDays(1);
        for (var i = 0; i < 370; i++, day = day.AddDays(1))
            if (IsWorkingDay(day))
                return day.ToDateTime(options.Value.Opens);
        throw new InvalidOperationException("The office never opens; check OfficeHours settings.");
    }

    /// <summary>The hours as people read them: 「平日 9:00〜17:00（土日・祝日・年末年始を除く）」.</summary>
    public LocalText Describe()
    {
        var o = options.Value;
        var weekdays = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };
        var ja = CultureInfo.GetCultureInfo("ja-JP").DateTimeFormat;
        var ordered = o.Days.Distinct().OrderBy(d => ((int)d + 6) % 7).ToList();
        var (daysJa, daysEn) = ordered.Count == 7 ? ("毎日", "every day")
            : ordered.SequenceEqual(weekdays) ? ("平日", "weekdays")
            : (string.Join("・", ordered.Select(d => ja.GetAbbreviatedDayName(d))), string.Join(", ", ordered.Select(d => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(d))));
        var closedJa = ordered.SequenceEqual(weekdays) ? "（土日・祝日・年末年始を除く）" : o.Closed.Length > 0 ? "（祝日・年末年始を除く）" : "";
        var closedEn = ordered.SequenceEqual(weekdays) ? " (closed on weekends, public holidays and at the year end)" : o.Closed.Length > 0 ? " (closed on public holidays and at the year end)" : "";
        return new LocalText($"{daysJa} {o.Opens:H\\:mm}〜{o.Closes:H\\:mm}{closedJa}", $"{daysEn} {o.Opens:H\\:mm}-{o.Closes:H\\:mm}{closedEn}");
    }

    /// <summary>「12月7日（月）9:00」: when the office opens next, for telling the user.</summary>
    public LocalText DescribeNextOpening(DateTimeOffset after)
    {
        var next = NextOpening(after);
        return new LocalText(next.ToString("M月d日（ddd）H:mm", CultureInfo.GetCultureInfo("ja-JP")), next.ToString("ddd d MMM, H:mm", CultureInfo.InvariantCulture));
    }

    bool IsWorkingDay(DateOnly day) => options.Value.Days.Contains(day.DayOfWeek) && !options.Value.Closed.Contains(day);
}
