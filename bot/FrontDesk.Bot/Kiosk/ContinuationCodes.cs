using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FrontDesk.Bot.Conversations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FrontDesk.Bot.Kiosk;

public enum RedeemOutcome { Linked, Unknown, Expired, Used }

public sealed record Redeemed(RedeemOutcome Outcome, string? KioskConversationKey = null);

/// <summary>
/// "LINEで続ける": one-time codes such as FD-7KQ2MX that carry a kiosk conversation over to whoever sends them
/// (on LINE, or any channel). A code lasts a few minutes and works once.
/// </summary>
public sealed partial class ContinuationCodes(NpgsqlDataSource db, TimeProvider time, IOptions<KioskOptions> options)
{
    // No 0/O, 1/I/L: the code may be read off the screen and typed.
    const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    const int Length = 6;

    public async Task<(string Code, DateTimeOffset ExpiresAt)> IssueAsync(string kioskConversationKey, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var expires = now + options.Value.ContinuationCodeLifetime;
        while (true)
        {
            var code = "FD-" + RandomNumberGenerator.GetString(Alphabet, Length);
            await using var cmd = db.CreateCommand("""
                insert into kiosk.continuation_codes (code, conversation_key, created_at, expires_at)
                values ($1, $2, $3, $4) on conflict (code) do nothing
                """);
            cmd.Parameters.Add(new() { Value = code });
            cmd.Parameters.Add(new() { Value = kioskConversationKey });
            cmd.Parameters.Add(new() { Value = now });
            cmd.Parameters.Add(new() { Value = expires });
            if (await cmd.ExecuteNonQueryAsync(ct) == 1)
                return (code, expires);
        }
    }

    /// <summary>The code in a message, normalised ("ｆｄ－７ｋｑ２ｍｘ" → "FD-7KQ2MX"), or null.</summary>
    public static string? Find(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 200)
            return null;
        var match = CodePattern().Match(text.Normalize(NormalizationForm.FormKC).ToUpperInvariant());
        return match.Success ? "FD-" + match.Groups[1].Value : null;
    }

    /// <summary>Marks the code used by this conversation. Redeeming again from the same conversation (a re-run turn) links again.</summary>
    public async Task<Redeemed> RedeemAsync(string code, string redeemingKey, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            with hit as (
                update kiosk.continuation_codes set used_at = coalesce(used_at, $3), used_by = $2
                where code = $1 and expires_at > $3 and (used_at is null or used_by = $2)
                returning conversation_key)
            select 'linked', conversation_key from hit
            union all
            select case when used_at is not null then 'used' else 'expired' end, null
            from kiosk.continuation_codes where code = $1 and not exists (select from hit)
            """);
        cmd.Parameters.Add(new() { Value = code });
        cmd.Parameters.Add(new() { Value = redeemingKey });
        cmd.Parameters.Add(new() { Value = time.GetUtcNow() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return new(RedeemOutcome.Unknown);
        return reader.GetString(0) switch
        {
            "linked" => new(RedeemOutcome.Linked, reader.GetString(1)),
            "used" => new(RedeemOutcome.Used),
            _ => new(RedeemOutcome.Expired),
        };
    }

    /// <summary>True once the code was redeemed; false while waiting. Only the conversation that issued it may ask.</summary>
    public async Task<bool?> IsUsedAsync(string code, string kioskConversationKey, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select used_at is not null from kiosk.continuation_codes where code = $1 and conversation_key = $2");
        cmd.Parameters.Add(new() { Value = code });
        cmd.Parameters.Add(new() { Value = kioskConversationKey });
        return (bool?)await cmd.ExecuteScalarAsync(ct);
    }

    public async Task<ConversationState?> LoadStateAsync(string conversationKey, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select state::text from conversation.conversations where key = $1");
        cmd.Parameters.Add(new() { Value = conversationKey });
        return await cmd.ExecuteScalarAsync(ct) is string json ? JsonSerializer.Deserialize<ConversationState>(json, ConversationEngine.Json) : null;
    }

    [GeneratedRegex(@"(?<![A-Z0-9])FD[-\s]?([A-HJ-NP-Z2-9]{6})(?![A-Z0-9])")]
    private static partial Regex CodePattern();
}

/// <summary>
/// On any channel, a message carrying a continuation code copies the kiosk conversation's state (language, answers,
/// a form in progress) into this conversation and picks the form up where the visitor left it.
/// </summary>
public sealed class ContinuationCodeMiddleware(ContinuationCodes codes, FlowCatalog flows) : ITurnMiddleware
{
    public async Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct)
    {
        if (turn.Inbound.Kind != ActivityKind.Message || turn.Address.IsSharedDevice
            || ContinuationCodes.Find(turn.Inbound.Text) is not { } code)
        {
            await next(turn, ct);
            return;
        }

        // A code is Latin letters: the reply follows the conversation's language, Japanese unless English was chosen.
        var english = turn.State.Language == "en";
        var redeemed = await codes.RedeemAsync(code, turn.Address.Key, ct);
        var source = redeemed.KioskConversationKey is { } key ? await codes.LoadStateAsync(key, ct) : null;
        if (redeemed.Outcome != RedeemOutcome.Linked)
        {
            turn.Send(new Activity
            {
                Text = english
                    ? "This code cannot be used (it has expired or was already used). Please show a new code on the kiosk."
                    : "このコードはお使いいただけません（有効期限が切れたか、すでに使われています）。お手数ですが、キオスクで新しいコードを表示してください。",
                SuggestedActions = [CardAction.Command(english ? BotTexts.Menu.En : BotTexts.Menu.Ja, Commands.Menu)],
            });
            return;
        }

        var state = turn.State;
        // A private form (the registration) keeps its answers in a draft tied to the kiosk screen: it does not travel.
        var leftBehind = source?.Flows.Where(f => f.Private).ToList() ?? [];
        if (source is not null)
        {
            foreach (var (name, value) in source.Profile)
                state.Profile[name] = value;
            if (source.Flows.Count > leftBehind.Count)
                state.Flows = source.Flows.Except(leftBehind).ToList();
        }
        // The kiosk's language carries over; otherwise Japanese, not a guess from the Latin letters of the code.
        state.Language = source?.Language ?? state.Language ?? "ja";
        turn.Say("キオスクでのご相談を引き継ぎました。こちらで続きをどうぞ。", "Your conversation from the kiosk has been carried over. Please continue here.");
        if (leftBehind.Count > 0)
            turn.Say("キオスクで入力中だった個人情報（登録フォーム）は引き継いでいません。必要でしたら、こちらで最初から入力してください。",
                "The personal details you were typing at the kiosk (the registration form) were not carried over. Please start it again here if you like.");
        if (state.ActiveFlow is { } frame && flows.Find(frame.Flow) is { } flow)
            await flow.ResumeAsync(turn, frame, ct);
        else
            turn.Say("ご質問をそのまま入力してください。", "Please type your question.", BotTexts.MenuButton(turn));
    }
}
