using System.Collections.Concurrent;
using FrontDesk.Bot.Line;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Coordinators;

/// <summary>
/// LINE users' display names for the console, from the Messaging API's profile call, kept in memory for an hour so a
/// busy queue costs one call per user. The name is shown to staff only and never logged.
/// </summary>
public sealed class LineDisplayNames(IServiceProvider services, IOptions<LineOptions> line, TimeProvider time)
{
    static readonly TimeSpan Keep = TimeSpan.FromHours(1);
    static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(5);
    const int MaxCached = 10_000;
    // One fetch per user even when the page and the hub ask at the same moment.
    readonly ConcurrentDictionary<string, (Lazy<Task<string?>> Name, DateTimeOffset At)> cache = new();

    /// <summary>The display name for a "line:USERID" conversation key; null for other channels, or when LINE cannot tell.</summary>
    public async Task<string?> ForAsync(string key, CancellationToken ct)
    {
        if (!key.StartsWith(LineChannel.Name + ":", StringComparison.Ordinal) || !line.Value.Enabled)
            return null;
        var now = time.GetUtcNow();
        if (cache.Count >= MaxCached)
            cache.Clear();
        var entry = cache.AddOrUpdate(key, _ => (new(() => FetchAsync(key)), now), (_, old) => now - old.At < Keep ? old : (new(() => FetchAsync(key)), now));
        try
        {
            return await entry.Name.Value.WaitAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            cache.TryRemove(KeyValuePair.Create(key, entry)); // the next render asks again
            return null;
        }
    }

    async Task<string?> FetchAsync(string key)
    {
        using var timeout = new CancellationTokenSource(FetchTimeout);
        var profile = await services.GetRequiredService<LineMessagingClient>().GetProfileAsync(key[(LineChannel.Name.Length + 1)..], timeout.Token);
        return string.IsNullOrWhiteSpace(profile?.DisplayName) ? null : profile.DisplayName;
    }

    public async Task<Dictionary<string, string>> ForAllAsync(IEnumerable<string> keys, CancellationToken ct)
    {
        var names = new Dictionary<string, string>();
        foreach (var key in keys)
            if (await ForAsync(key, ct) is { } name)
                names[key] = name;
        return names;
    }
}
