using System.ComponentModel.DataAnnotations;

namespace FrontDesk.Bot.Staff;

public sealed class StaffOptions
{
    public const string SectionName = "Staff";

    /// <summary>Sign-in attempts per client address per minute (a burst of as many, then refilled each minute).</summary>
    [Range(1, 100_000)]
    public int SignInsPerAddressPerMinute { get; set; } = 30;

    /// <summary>Sign-in attempts per login name per minute, whatever the address.</summary>
    [Range(1, 100_000)]
    public int SignInsPerLoginPerMinute { get; set; } = 10;

    /// <summary>How long a host trusts the security stamp it read for an account before reading it again.</summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
