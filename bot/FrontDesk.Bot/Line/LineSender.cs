using System.Security.Cryptography;
using System.Text;
using FrontDesk.Bot.Conversations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace FrontDesk.Bot.Line;

/// <summary>
/// Delivers an outbox row on LINE. The first five messages go with the event's reply token while it is fresh (LINE:
/// within a minute); anything else, or everything when the token is stale, used or refused, goes by push with a retry
/// key derived from the outbox row, so a repeated push is executed once. A reply whose outcome is unknown (timeout,
/// dropped connection, 5xx) is tried once more with the same token: a 200 delivers it, LINE's "Invalid reply token"
/// while the token is still valid means the first attempt used it (delivered), anything else falls back to push (see
/// LINE-NOTES.md, "Unknown outcomes"). Nothing is pushed to a user who blocked the account.
/// </summary>
public sealed partial class LineSender(
    LineMessagingClient client,
    LineRenderer renderer,
    LineUsers users,
    IOptions<LineOptions> options,
    TimeProvider time,
    ILogger<LineSender> logger) : IChannelSender
{
    /// <summary>LINE's own limit; past it a refused token may simply have expired.</summary>
    static readonly TimeSpan ReplyTokenLifetime = TimeSpan.FromMinutes(1);

    public string Channel => LineChannel.Name;

    public Task SendAsync(ConversationAddress address, Activity inbound, IReadOnlyList<Activity> replies, CancellationToken ct) =>
        throw new NotSupportedException("LINE replies are delivered from the outbox (DeliverAsync), which keeps their retry keys.");

    public async Task<Delivery> DeliverAsync(OutboxItem item, CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            LogDisabled(item.Replies.Count);
            return new Delivery(DeliveryStatus.RetryLater, item.Progress, item.ReplyUsed, "LINE channel disabled");
        }
        var batches = LineRenderer.Batches(renderer.Render(item.Replies));
        var progress = item.Progress;
        var replyUsed = item.ReplyUsed;
        if (progress >= batches.Count)
            return Delivery.Done;

        if (progress == 0 && !replyUsed && FreshReplyToken(item.Inbound) is { } token)
        {
            if (await ReplyAsync(token, batches[0], item.Inbound, item.MaybeAttempted, ct))
                progress = 1;
        }
        // From here on the first batch, if still undelivered, goes by push.
        replyUsed |= progress == 0;
        if (progress == batches.Count)
            return Delivery.Done;
        if (!await users.IsFollowingAsync(item.Address.Id, ct))
        {
            LogUnfollowed(batches.Count - progress);
            return Delivery.Done;
        }
        for (; progress < batches.Count; progress++)
        {
            var pushed = await CallAsync(() => client.PushAsync(item.Address.Id, batches[progress], RetryKey(item.DeliveryKey, progress), ct), ct);
            if (pushed.Ok || pushed.AlreadyAccepted)
                continue;
            // Stop here: the later messages must not arrive without the earlier ones.
            LogPushFailed(pushed.Status, pushed.Message, batches.Count - progress);
            var retryable = pushed.Status is 0 or 401 or 408 or 429 or >= 500;
            return new Delivery(retryable ? DeliveryStatus.RetryLater : DeliveryStatus.Undeliverable, progress, replyUsed,
                pushed.Status == 0 ? pushed.Message : $"push HTTP {pushed.Status}", pushed.RetryAfter);
        }
        return Delivery.Done;
    }

    /// <summary>True when the reply reached the user (or, by LINE's answer, already had); false when it must go by push.</summary>
    async Task<bool> ReplyAsync(string token, IReadOnlyList<System.Text.Json.Nodes.JsonObject> batch, Activity inbound, bool maybeUsed, CancellationToken ct)
    {
        var first = await CallAsync(() => client.ReplyAsync(token, batch, ct), ct);
        if (first.Ok)
            return true;
        if (!Unknown(first))
        {
            // A refusal: LINE did not deliver. After a crash mid-call, though, the refusal may be of our own earlier use.
            if (first.Status == 400 && maybeUsed && StillValid(inbound))
            {
                LogPresumedDelivered();
                return true;
            }
            LogReplyFailed(first.Status, first.Message);
            return false;
        }
        // The outcome is unknown: LINE may or may not have delivered. The same token tells which, once.
        LogReplyUnknown(first.Status, first.Message);
        var second = await CallAsync(() => client.ReplyAsync(token, batch, ct), ct);
        if (second.Ok)
            return true;
        if (second.Status == 400 && StillValid(inbound))
        {
            LogPresumedDelivered();
            return true;
        }
        LogReplyFailed(second.Status, second.Message);
        return false;
    }

    static bool Unknown(LineApiResult result) => result.Status is 0 or >= 500;

    bool StillValid(Activity inbound) => time.GetUtcNow() - inbound.Timestamp < ReplyTokenLifetime;

    /// <summary>A timeout or a dropped connection becomes status 0, so it falls back like an HTTP error does.</summary>
    static async Task<LineApiResult> CallAsync(Func<Task<LineApiResult>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is TimeoutRejectedException or HttpRequestException or IOException
            || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new LineApiResult(0, e.GetType().Name);
        }
    }

    string? FreshReplyToken(Activity inbound)
    {
        if (!inbound.ChannelData.TryGetValue(LineChannel.Data.ReplyToken, out var token) || token.Length == 0)
            return null;
        var age = time.GetUtcNow() - inbound.Timestamp;
        return age <= options.Value.ReplyTokenMaxAge ? token : null;
    }

    /// <summary>The same key for the same outbox row and batch, so a push repeated for any reason is executed once by LINE.</summary>
    public static Guid RetryKey(Guid deliveryKey, int batch)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"frontdesk/line/push/{deliveryKey:N}/{batch}"), hash);
        hash[6] = (byte)(hash[6] & 0x0F | 0x40); // version 4 layout, as LINE expects a UUID
        hash[8] = (byte)(hash[8] & 0x3F | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LINE channel is disabled; {Count} replies wait in the outbox")]
    partial void LogDisabled(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "LINE reply failed with HTTP {Status} ({Reason}); sending by push")]
    partial void LogReplyFailed(int status, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "LINE reply outcome unknown (HTTP {Status}, {Reason}); trying the same reply token once more")]
    partial void LogReplyUnknown(int status, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "LINE says the reply token is used while it is still valid: the earlier attempt delivered the reply")]
    partial void LogPresumedDelivered();

    [LoggerMessage(Level = LogLevel.Information, Message = "LINE user has blocked the account; {Count} message batches not pushed")]
    partial void LogUnfollowed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LINE push failed with HTTP {Status} ({Reason}) after retries; {Count} message batches wait for the next attempt")]
    partial void LogPushFailed(int status, string? reason, int count);
}
