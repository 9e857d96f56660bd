using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Registration;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FrontDesk.Bot.Handoff;

/// <summary>A callback request being filled in while the user waits out of hours. It lives in the conversation state, so the contact is sealed.</summary>
public sealed class CallbackDraft
{
    public string Step { get; set; } = CallbackRequests.ConsentStep;
    public string? PreferredTime { get; set; }
    public string? ContactKind { get; set; }
    public string? ContactKey { get; set; }
    public byte[]? ContactSealed { get; set; }
}

public sealed record CallbackRequest(DateTimeOffset CreatedAt, string PreferredTime, string ContactKind, string Contact, DateTimeOffset ExpiresAt);

/// <summary>
/// Out of office hours the waiting user may leave a callback request: consent first (what is kept, how long, who sees
/// it), then a preferred time and a phone number or e-mail address, a confirmation, and when someone will reply.
/// The confirmed request goes to <c>handoff.callback_requests</c> (staff only, deleted after the retention period).
/// The contact is sealed with the personal-data keys wherever it is stored, and kept out of the transcript.
/// </summary>
public sealed partial class CallbackRequests(NpgsqlDataSource db, OfficeHours hours, FieldCipher cipher, IOptions<HandoffOptions> options, TimeProvider time)
{
    const string Purpose = "callback.contact";

    public const string ConsentStep = "consent";
    const string TimeStep = "time";
    const string ContactStep = "contact";
    const string ConfirmStep = "confirm";
    public const string Offer = "callback";
    const string Agree = "callback-agree";
    const string Yes = "callback-yes";
    const string Redo = "callback-redo";
    const string Stop = "callback-stop";
    const int MaxPreferredTime = 50;

    static readonly (string Value, LocalText Label)[] Times =
    [
        ("morning", new("午前（9〜12時）", "Morning (9-12)")),
        ("afternoon", new("午後（12〜17時）", "Afternoon (12-17)")),
        ("any", new("いつでも", "Any time")),
    ];

    public static CardAction OfferButton(TurnContext turn) => CardAction.Command(turn.T("折り返しを依頼する", "Request a callback"), Commands.Answer, Offer);

    /// <summary>Handles the user's input while waiting; false when it was not about a callback.</summary>
    public async Task<bool> HandleAsync(TurnContext turn, HandoffState handoff, CancellationToken ct)
    {
        var input = turn.Inbound.Input;
        var typed = Phrases.Normalize(input);
        if (handoff.Callback is null)
        {
            if (input != Offer && !Phrases.Matches(typed, ["折り返しを依頼する", "折り返し", "電話がほしい", "callback", "request a callback"]))
                return false;
            if (!cipher.Enabled)
            {
                // Without keys a contact could not be kept safely: no request is taken.
                turn.Say("申し訳ありません。ただいま折り返しのご依頼はお受けできません。このままお待ちいただければ、受付時間に相談員がお返事します。",
                    "Sorry, we cannot take callback requests at the moment. If you wait here, a coordinator will reply in office hours.",
                    HandoffMiddleware.BackToBotButton(turn));
                return true;
            }
            handoff.Callback = new CallbackDraft();
            AskConsent(turn);
            return true;
        }
        var draft = handoff.Callback;
        if (input == Stop || Phrases.Matches(typed, ["やめる", "中止", "キャンセル", "cancel", "stop"]))
        {
            handoff.Callback = null;
            turn.Say("折り返しのご依頼をやめました。このままお待ちいただくこともできます。", "The callback request was cancelled. You can keep waiting here.",
                HandoffMiddleware.BackToBotButton(turn));
            return true;
        }
        switch (draft.Step)
        {
            case ConsentStep when input == Agree || Phrases.Matches(typed, ["同意する", "同意します", "はい", "agree", "yes"]):
                draft.Step = TimeStep;
                AskTime(turn);
                break;
            case ConsentStep:
                AskConsent(turn);
                break;
            case TimeStep:
                var chosen = Times.FirstOrDefault(t => t.Value == input || Phrases.Normalize(t.Label.Ja) == typed || Phrases.Normalize(t.Label.En) == typed);
                var preferred = chosen.Value is not null ? chosen.Label.Ja : input.Trim();
                if (preferred.Length is 0 or > MaxPreferredTime)
                {
                    turn.Say($"ご希望の時間帯を選ぶか、{MaxPreferredTime}文字以内で入力してください（例: 平日の夕方）。",
                        $"Pick a time or type one in up to {MaxPreferredTime} characters (e.g. weekday evenings).");
                    AskTime(turn);
                    break;
                }
                draft.PreferredTime = preferred;
                draft.Step = ContactStep;
                AskContact(turn);
                break;
            case ContactStep:
                turn.PrivateInput = "（連絡先の入力）";
                if (ReadContact(input) is not { } contact)
                {
                    turn.Say("電話番号（例: 090-1234-5678）かメールアドレスの形で入力してください。",
                        "Please enter a phone number (e.g. 090-1234-5678) or an e-mail address.", StopButton(turn));
                    break;
                }
                draft.ContactKind = contact.Kind;
                (draft.ContactKey, draft.ContactSealed) = cipher.Seal(Purpose, contact.Value);
                draft.Step = ConfirmStep;
                Confirm(turn, draft);
                break;
            case ConfirmStep when input == Yes || Phrases.Matches(typed, ["はい", "お願いします", "yes", "ok"]):
                await SaveAsync(turn, draft, ct);
                handoff.Callback = null;
                handoff.CallbackRequested = true;
                var next = hours.NextOpening(turn.Now);
                turn.Say(new LocalText(
                        $"折り返しのご依頼を承りました。{next.ToString("M月d日（ddd）H:mm", CultureInfo.GetCultureInfo("ja-JP"))}以降に、相談員からご連絡します。",
                        $"Your callback request is in. A coordinator will contact you from {next.ToString("ddd d MMM, H:mm", CultureInfo.InvariantCulture)}."),
                    HandoffMiddleware.BackToBotButton(turn));
                break;
            case ConfirmStep when input == Redo || Phrases.Matches(typed, ["修正する", "修正", "edit"]):
                draft.Step = TimeStep;
                draft.ContactKind = draft.PreferredTime = draft.ContactKey = null;
                draft.ContactSealed = null;
                AskTime(turn);
                break;
            default:
                Confirm(turn, draft);
                break;
        }
        return true;
    }

    void AskConsent(TurnContext turn)
    {
        var days = options.Value.CallbackRetentionDays;
        turn.Say(new LocalText(
                $"折り返しのご連絡のため、ご希望の時間帯と連絡先（電話番号またはメールアドレス）をお預かりします。\n" +
                $"・見るのは当窓口の相談員だけです。\n・お預かりした連絡先は{days}日後に削除します。\n・ご連絡以外には使いません。\nよろしければ「同意する」を押してください。",
                $"To call you back we keep your preferred time and a phone number or e-mail address.\n" +
                $"- Only our coordinators see it.\n- It is deleted after {days} days.\n- It is used for this callback only.\nPress \"Agree\" if that is fine."),
            CardAction.Command(turn.T("同意する", "Agree"), Commands.Answer, Agree), StopButton(turn));
    }

    static void AskTime(TurnContext turn) =>
        turn.Say(new LocalText("ご連絡の希望時間帯をお選びください（入力も可）。", "When should we contact you? Pick one or type it."),
            [.. Times.Select(t => CardAction.Command(turn.T(t.Label), Commands.Answer, t.Value)), StopButton(turn)]);

    static void AskContact(TurnContext turn) =>
        turn.Say(new LocalText("ご連絡先の電話番号かメールアドレスを入力してください。", "Please type your phone number or e-mail address."), StopButton(turn));

    void Confirm(TurnContext turn, CallbackDraft draft)
    {
        var kind = draft.ContactKind == "phone" ? turn.T("電話", "Phone") : turn.T("メール", "E-mail");
        var contact = cipher.Open(Purpose, new Sealed(draft.ContactKey!, draft.ContactSealed!));
        // Delivered, but not written to the transcript.
        turn.SayPrivately(new LocalText($"この内容でよろしいですか？\n・希望時間帯: {draft.PreferredTime}\n・連絡先（{kind}）: {contact}",
                $"Is this correct?\n- Preferred time: {draft.PreferredTime}\n- Contact ({kind}): {contact}"),
            CardAction.Command(turn.T("はい", "Yes"), Commands.Answer, Yes),
            CardAction.Command(turn.T("修正する", "Edit"), Commands.Answer, Redo), StopButton(turn));
    }

    static CardAction StopButton(TurnContext turn) => CardAction.Command(turn.T("やめる", "Cancel"), Commands.Answer, Stop);

    /// <summary>A Japanese phone number (full-width digits, hyphens and spaces accepted) or an e-mail address, normalised; null otherwise.</summary>
    public static (string Kind, string Value)? ReadContact(string input)
    {
        var text = input.Normalize(NormalizationForm.FormKC).Trim();
        if (text.Length is 0 or > 254)
            return null;
        if (Email().IsMatch(text))
            return ("email", text);
        var digits = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) || c == '+' && digits.Length == 0)
                digits.Append(c);
            else if (c is not ('-' or ' ' or '(' or ')' or 'ー' or '−'))
                return null;
        }
        var number = digits.ToString();
        if (number.StartsWith("+81", StringComparison.Ordinal))
            number = "0" + number[3..];
        return Phone().IsMatch(number) ? ("phone", number) : null;
    }

    async Task SaveAsync(TurnContext turn, CallbackDraft draft, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            insert into handoff.callback_requests (conversation_key, preferred_time, contact_kind, contact_key, contact_sealed, created_at, expires_at)
            values (@key, @time, @kind, @contactKey, @contact, @now, @expires)
            """);
        cmd.Parameters.AddWithValue("key", turn.Address.Key);
        cmd.Parameters.AddWithValue("time", draft.PreferredTime!);
        cmd.Parameters.AddWithValue("kind", draft.ContactKind!);
        cmd.Parameters.AddWithValue("contactKey", draft.ContactKey!);
        cmd.Parameters.AddWithValue("contact", draft.ContactSealed!);
        cmd.Parameters.AddWithValue("now", turn.Now);
        cmd.Parameters.AddWithValue("expires", turn.Now.AddDays(options.Value.CallbackRetentionDays));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The conversation's callback requests that are still kept, newest first (staff only; the caller audits).</summary>
    public async Task<List<CallbackRequest>> ForConversationAsync(string key, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select created_at, preferred_time, contact_kind, contact_key, contact_sealed, expires_at from handoff.callback_requests
            where conversation_key = @key and expires_at > @now order by id desc
            """);
        cmd.Parameters.AddWithValue("key", key);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        var list = new List<CallbackRequest>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(new CallbackRequest(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2),
                OpenContact(reader.GetString(3), reader.GetFieldValue<byte[]>(4)), reader.GetFieldValue<DateTimeOffset>(5)));
        return list;
    }

    string OpenContact(string keyId, byte[] data)
    {
        try
        {
            return cipher.Open(Purpose, new Sealed(keyId, data));
        }
        catch (CryptographicException)
        {
            // A key retired before the request expired: keep old keys configured for the retention period.
            return $"（鍵 {keyId} が設定にないため表示できません）";
        }
    }

    /// <summary>Deletes requests past their retention; the recurring job's body.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task<int> DeleteExpiredAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("delete from handoff.callback_requests where expires_at <= @now");
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex(@"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")]
    private static partial Regex Email();

    [GeneratedRegex(@"^0\d{9,10}$")]
    private static partial Regex Phone();
}
