using System.Security.Cryptography;
using System.Text;
using FrontDesk.Bot.Conversations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Line;

/// <summary>
/// Delivers a turn's replies on LINE. The first five messages go with the event's reply token while it is fresh
/// (LINE: within a minute); anything else, or everything when the token is stale, used or refused, goes by push with
/// a retry key derived from the event, so a retried push is delivered once. Nothing is pushed to a user who blocked the account.
/// </summary>
public sealed partial class LineSender(
    LineMessagingClient client,
    LineRenderer renderer,
    LineUsers users,
    IOptions<LineOptions> options,
    TimeProvider time,
    ILogger<LineSender> logger) : IChannelSender
{
    public string Channel => LineChannel.Name;

    public async Task SendAsync(ConversationAddress address, Activity inbound, IReadOnlyList<Activity> replies, CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            LogDisabled(replies.Count);
            return;
        }
        var batches = LineRenderer.Batches(renderer.Render(replies));
        if (batches.Count == 0)
            return;

        var next = 0;
        if (FreshReplyToken(inbound) is { } token)
        {
            var replied = await client.ReplyAsync(token, batches[0], ct);
            if (replied.Ok)
                next = 1;
            else
                LogReplyFailed(replied.Status, replied.Message);
        }
        if (next == batches.Count)
            return;
        if (!await users.IsFollowingAsync(address.Id, ct))
        {
            LogUnfollowed(batches.Count - next);
            return;
        }
        for (var i = next; i < batches.Count; i++)
        {
            var pushed = await client.PushAsync(address.Id, batches[i], RetryKey(inbound, i), ct);
            if (!pushed.Ok && !pushed.AlreadyAccepted)
            {
                // Stop here: sending the later messages without the earlier ones would confuse the user.
                LogPushFailed(pushed.Status, pushed.Message, batches.Count - i);
                return;
            }
        }
    }

    string? FreshReplyToken(Activity inbound)
    {
        if (!inbound.ChannelData.TryGetValue(LineChannel.Data.ReplyToken, out var token) || token.Length == 0)
            return null;
        var age = time.GetUtcNow() - inbound.Timestamp;
        return age <= options.Value.ReplyTokenMaxAge ? token : null;
    }

    /// <summary>The same key for the same event and batch, so a push repeated for any reason is executed once by LINE.</summary>
    static Guid RetryKey(Activity inbound, int batch)
    {
        if (!inbound.ChannelData.TryGetValue(LineChannel.Data.WebhookEventId, out var eventId))
            return Guid.NewGuid();
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"frontdesk/line/push/{eventId}/{batch}"), hash);
        hash[6] = (byte)(hash[6] & 0x0F | 0x40); // version 4 layout, as LINE expects a UUID
        hash[8] = (byte)(hash[8] & 0x3F | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LINE channel is disabled; {Count} replies not sent")]
    partial void LogDisabled(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "LINE reply failed with HTTP {Status} ({Reason}); sending by push")]
    partial void LogReplyFailed(int status, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "LINE user has blocked the account; {Count} message batches not pushed")]
    partial void LogUnfollowed(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "LINE push failed with HTTP {Status} ({Reason}) after retries; {Count} message batches not delivered")]
    partial void LogPushFailed(int status, string? reason, int count);
}
