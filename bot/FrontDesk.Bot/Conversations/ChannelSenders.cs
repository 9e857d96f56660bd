using Microsoft.Extensions.Logging;

namespace FrontDesk.Bot.Conversations;

/// <summary>Delivers a turn's replies on one channel (LINE, kiosk, terminal). Called only after the turn's state was saved.</summary>
public interface IChannelSender
{
    string Channel { get; }
    Task SendAsync(ConversationAddress address, Activity inbound, IReadOnlyList<Activity> replies, CancellationToken ct);
}

public sealed partial class ChannelSenders(IEnumerable<IChannelSender> senders, ILogger<ChannelSenders> logger)
{
    readonly Dictionary<string, IChannelSender> byChannel = senders.ToDictionary(s => s.Channel, StringComparer.Ordinal);

    public async Task SendAsync(ConversationAddress address, Activity inbound, IReadOnlyList<Activity> replies, CancellationToken ct)
    {
        if (replies.Count == 0)
            return;
        if (!byChannel.TryGetValue(address.Channel, out var sender))
        {
            LogNoSender(address.Channel);
            return;
        }
        try
        {
            await sender.SendAsync(address, inbound, replies, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The turn is saved; a failed delivery must not undo it or block the next message.
            LogSendFailed(e, address.Channel, replies.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No sender for channel {Channel}; replies dropped")]
    partial void LogNoSender(string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering {Count} replies on channel {Channel} failed")]
    partial void LogSendFailed(Exception e, string channel, int count);
}
