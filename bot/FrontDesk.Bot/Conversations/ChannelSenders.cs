using Microsoft.Extensions.Logging;

namespace FrontDesk.Bot.Conversations;

/// <summary>Delivers a turn's replies on one channel (LINE, kiosk, terminal), from the outbox, once the turn is saved.</summary>
public interface IChannelSender
{
    string Channel { get; }

    /// <summary>Delivers every reply or throws; after an exception the outbox tries again later.</summary>
    Task SendAsync(ConversationAddress address, Activity inbound, IReadOnlyList<Activity> replies, CancellationToken ct);

    /// <summary>
    /// One attempt at an outbox row. A channel that delivers in parts or chooses between ways (LINE: the reply token,
    /// then push) overrides this and says how far it got.
    /// </summary>
    async Task<Delivery> DeliverAsync(OutboxItem item, CancellationToken ct)
    {
        await SendAsync(item.Address, item.Inbound, item.Replies, ct);
        return Delivery.Done;
    }
}

/// <summary>
/// One outbox row as its sender sees it. <see cref="Progress"/> and <see cref="ReplyUsed"/> are what earlier attempts
/// recorded; <see cref="MaybeAttempted"/> is false only when this process wrote the row and has not tried it yet, so
/// an attempt whose outcome nobody recorded (a crash mid-call) may have reached the channel.
/// </summary>
public sealed record OutboxItem(
    long Id,
    Guid DeliveryKey,
    ConversationAddress Address,
    Activity Inbound,
    IReadOnlyList<Activity> Replies,
    int Progress,
    bool ReplyUsed,
    bool MaybeAttempted,
    int Attempts,
    DateTimeOffset CreatedAt);

public enum DeliveryStatus
{
    Delivered,
    /// <summary>Not (fully) delivered; worth another attempt after a back-off.</summary>
    RetryLater,
    /// <summary>Refused for good (e.g. a malformed message): set aside at once.</summary>
    Undeliverable,
}

public readonly record struct Delivery(DeliveryStatus Status, int Progress = 0, bool ReplyUsed = false, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static Delivery Done => new(DeliveryStatus.Delivered);
}

public sealed partial class ChannelSenders(IEnumerable<IChannelSender> senders, ILogger<ChannelSenders> logger)
{
    readonly Dictionary<string, IChannelSender> byChannel = senders.ToDictionary(s => s.Channel, StringComparer.Ordinal);

    /// <summary>Never throws but for cancellation: a failure becomes a retry of this row.</summary>
    public async Task<Delivery> DeliverAsync(OutboxItem item, CancellationToken ct)
    {
        if (item.Replies.Count == 0)
            return Delivery.Done;
        if (!byChannel.TryGetValue(item.Address.Channel, out var sender))
        {
            LogNoSender(item.Address.Channel);
            return new Delivery(DeliveryStatus.Undeliverable, Error: "no sender for channel " + item.Address.Channel);
        }
        try
        {
            return await sender.DeliverAsync(item, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogSendFailed(e, item.Address.Channel, item.Replies.Count);
            return new Delivery(DeliveryStatus.RetryLater, item.Progress, item.ReplyUsed, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "No sender for channel {Channel}; the replies are set aside")]
    partial void LogNoSender(string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering {Count} replies on channel {Channel} failed; it will be retried")]
    partial void LogSendFailed(Exception e, string channel, int count);
}
