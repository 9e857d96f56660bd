namespace FrontDesk.Testing;

/// <summary>Settings for tests about what coordinators do while the office is open, whatever the time of the run.</summary>
public static class OfficeHoursSettings
{
    public static Dictionary<string, string?> AlwaysOpen() => new()
    {
        ["OfficeHours:Days:0"] = "Monday", ["OfficeHours:Days:1"] = "Tuesday", ["OfficeHours:Days:2"] = "Wednesday", ["OfficeHours:Days:3"] = "Thursday",
        ["OfficeHours:Days:4"] = "Friday", ["OfficeHours:Days:5"] = "Saturday", ["OfficeHours:Days:6"] = "Sunday",
        ["OfficeHours:Opens"] = "00:00", ["OfficeHours:Closes"] = "23:59:59",
    };
}
