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

    bool IsWorkingDay(DateOnly day) => options.Value.Days.Contains(day.DayOfWeek) && !options.Value.Closed.Contains(day);
}
