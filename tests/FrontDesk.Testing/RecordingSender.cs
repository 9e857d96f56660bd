using System.Collections.Concurrent;
using FrontDesk.Bot.Conversations;

namespace FrontDesk.Testing;

/// <summary>A channel ("test") that keeps every reply the engine delivers, in delivery order.</summary>
public sealed class RecordingSender : IChannelSender
{
    public const string ChannelName = "test";
    readonly ConcurrentQueue<(ConversationAddress Address, Activity Reply)> delivered = new();

    public string Channel => ChannelName;

    public Task SendAsync(ConversationAddress address, Activity inbound, IReadOnlyList<Activity> replies, CancellationToken ct)
    {
        foreach (var reply in replies)
            delivered.Enqueue((address, reply));
        return Task.CompletedTask;
    }

    public IReadOnlyList<Activity> RepliesTo(string conversationId) =>
        delivered.Where(d => d.Address.Id == conversationId).Select(d => d.Reply).ToList();

    /// <summary>All reply text for the conversation, cards included, one string per reply.</summary>
    public IReadOnlyList<string> TextsTo(string conversationId) =>
        RepliesTo(conversationId).Select(r => string.Join('\n', new[] { r.Text }.Concat(r.Cards.Select(c => c.Title + "\n" + c.Text)).Where(t => t is not null))).ToList();
}
