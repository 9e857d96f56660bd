using FrontDesk.Bot.Conversations;
using Activity = FrontDesk.Bot.Conversations.Activity;

namespace FrontDesk.Bot.Kiosk;

/// <summary>Delivers the bot's replies by appending them to the conversation's activity log, which Web Chat polls or streams.</summary>
public sealed class KioskSender(KioskConversations conversations, TimeProvider time) : IChannelSender
{
    public const string ChannelName = ConversationAddress.KioskChannel;

    public string Channel => ChannelName;

    public async Task SendAsync(ConversationAddress address, Activity inbound, IReadOnlyList<Activity> replies, CancellationToken ct)
    {
        var user = inbound.ChannelData.GetValueOrDefault("user");
        var now = time.GetUtcNow();
        // One millisecond apart so Web Chat, which orders by timestamp, keeps the engine's order.
        var json = replies.Select((r, i) => DirectLineMapper.FromEngine(r, address.Id, user, inbound.ChannelMessageId, now.AddMilliseconds(i),
            r.Text is null ? "ja" : FrontDesk.Knowledge.Text.TextLanguage.Detect(r.Text))).ToList();
        await conversations.AppendAsync(address.Id, json, ct);
    }
}
