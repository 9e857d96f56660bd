using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Handoff;
using FrontDesk.Bot.Staff;

namespace FrontDesk.Bot.Coordinators;

/// <summary>What a console action came to: whether it took effect, and a sentence for the coordinator.</summary>
public sealed record ActionResult(bool Ok, string Message);

/// <summary>
/// Claim, reply, release, transfer and close, shared by the console's forms and its hub: checked here, run through the
/// engine as events (ordered with the user's messages, guarded by the state's version), and written to the audit log.
/// </summary>
public sealed class ConsoleActions(ConversationEngine engine, ConsoleQueries queries, StaffAccounts accounts)
{
    public const int MaxReplyLength = 2000;

    public async Task<ActionResult> ClaimAsync(string key, string login, CancellationToken ct)
    {
        var (handoff, problem) = await HandoffOf(key, ct);
        if (handoff is null)
            return problem!;
        if (handoff.Status != HandoffStatus.Waiting)
            return Fail(handoff.Coordinator == login ? "すでにこの会話を担当しています。" : "ほかの相談員がすでに担当しています。");
        var after = await RunAsync(key, login, HandoffEvents.Claim, null, "claim", null, null, ct);
        return after?.Coordinator == login ? new(true, "この会話を担当しました。") : Fail("ほかの相談員がすでに担当しています。");
    }

    public async Task<ActionResult> ReplyAsync(string key, string login, string? text, CancellationToken ct)
    {
        var reply = text?.Trim() ?? "";
        if (reply.Length == 0)
            return Fail("返信が空です。送る内容を入力してください。");
        if (reply.Length > MaxReplyLength)
            return Fail($"返信が長すぎます（{reply.Length:N0}文字）。{MaxReplyLength:N0}文字以内に分けて送ってください。");
        if (await OwnedBy(key, login, ct) is { } problem)
            return problem;
        await RunAsync(key, login, HandoffEvents.Message, reply, "message", null, null, ct);
        return new(true, "送信しました。");
    }

    public async Task<ActionResult> ReleaseAsync(string key, string login, CancellationToken ct)
    {
        if (await OwnedBy(key, login, ct) is { } problem)
            return problem;
        await RunAsync(key, login, HandoffEvents.Release, null, "release", null, null, ct);
        return new(true, "待機列に戻しました。");
    }

    public async Task<ActionResult> TransferAsync(string key, string login, string? to, CancellationToken ct)
    {
        if (await OwnedBy(key, login, ct) is { } problem)
            return problem;
        var colleague = string.IsNullOrWhiteSpace(to) ? null : await accounts.FindAsync(to, ct);
        if (colleague is null)
            return Fail("引き継ぎ先の相談員が見つかりません。");
        if (colleague.Login == login)
            return Fail("ご自身には引き継げません。");
        var after = await RunAsync(key, login, HandoffEvents.Transfer, null, "transfer", colleague.Login, colleague.Login, ct);
        return after?.Coordinator == colleague.Login
            ? new(true, $"{colleague.DisplayName} さんに引き継ぎました。")
            : Fail("引き継げませんでした。会話の状態が変わっています。");
    }

    public async Task<ActionResult> CloseAsync(string key, string login, CancellationToken ct)
    {
        var (handoff, problem) = await HandoffOf(key, ct);
        if (handoff is null)
            return problem!;
        if (handoff.Status == HandoffStatus.Active && handoff.Coordinator != login)
            return Fail($"{handoff.Coordinator} さんが対応中です。");
        await RunAsync(key, login, HandoffEvents.Close, null, "close", null, null, ct);
        return new(true, "対応を終了し、ボットに戻しました。");
    }

    static ActionResult Fail(string message) => new(false, message);

    async Task<ActionResult?> OwnedBy(string key, string login, CancellationToken ct)
    {
        var (handoff, problem) = await HandoffOf(key, ct);
        if (handoff is null)
            return problem;
        return handoff.Status == HandoffStatus.Active && handoff.Coordinator == login
            ? null
            : Fail(handoff.Status == HandoffStatus.Waiting ? "先に「担当する」を押してください。" : $"{handoff.Coordinator} さんが対応中です。");
    }

    /// <summary>The conversation's handoff, or a problem to show (unknown conversation, or back with the bot).</summary>
    async Task<(HandoffState? Handoff, ActionResult? Problem)> HandoffOf(string key, CancellationToken ct)
    {
        if (!ConsoleQueries.IsConversationKey(key))
            return (null, Fail("会話が見つかりません。"));
        var (state, _) = await queries.ConversationAsync(key, ct, lines: 0);
        return state switch
        {
            null => (null, Fail("会話が見つかりません。")),
            { Handoff: null } => (null, Fail("この会話はボットに戻っています。")),
            _ => (state.Handoff, null),
        };
    }

    /// <summary>Runs the event (its value is the coordinator it concerns: the actor, or the colleague for a transfer), audits it, returns the handoff after.</summary>
    async Task<HandoffState?> RunAsync(string key, string login, string name, string? text, string audit, string? detail, string? value, CancellationToken ct)
    {
        await engine.HandleAsync(ConversationAddress.Parse(key), Activity.Event(name) with { Value = value ?? login, Text = text }, ct);
        // The audit keeps who did what to which conversation, not what was written.
        await accounts.AuditAsync(login, audit, key, detail, ct);
        return (await queries.ConversationAsync(key, ct, lines: 0)).State?.Handoff;
    }
}
