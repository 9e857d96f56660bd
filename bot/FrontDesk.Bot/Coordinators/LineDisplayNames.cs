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
    const int MaxCached = 10_000;
    readonly ConcurrentDictionary<string, (string? Name, DateTimeOffset At)> cache = new();

    /// <summary>The display name for a "line:USERID" conversation key; null for other channels, or when LINE cannot tell.</summary>
    public async Task<string?> ForAsync(string key, CancellationToken ct)
    {
        if (!key.StartsWith(LineChannel.Name + ":", StringComparison.Ordinal) || !line.Value.Enabled)
            return null;
        var now = time.GetUtcNow();
        if (cache.TryGetValue(key, out var hit) && now - hit.At < Keep)
            return hit.Name;
        string? name;
        try
        {
            var profile = await services.GetRequiredService<LineMessagingClient>().GetProfileAsync(key[(LineChannel.Name.Length + 1)..], ct);
            name = string.IsNullOrWhiteSpace(profile?.DisplayName) ? null : profile.DisplayName;
        }
        catch (HttpRequestException)
        {
            return null; // not cached: the next render asks again
        }
        if (cache.Count >= MaxCached)
            cache.Clear();
        cache[key] = (name, now);
        return name;
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
