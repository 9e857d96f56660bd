using Xunit;

namespace FrontDesk.Testing;

/// <summary>Waits for something that happens in the background (a delivery, a job); fails with the reason after a generous limit.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string? because = null, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because ?? "condition not met in time");
            await Task.Delay(20);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string? because = null, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because ?? "condition not met in time");
            await Task.Delay(20);
        }
    }
}
