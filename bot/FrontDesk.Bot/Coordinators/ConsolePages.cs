using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using FrontDesk.Bot.Handoff;

namespace FrontDesk.Bot.Coordinators;

/// <summary>What the conversation page shows beside the transcript: staff notes, canned replies, colleagues to transfer to.</summary>
public sealed record ConversationExtras(IReadOnlyList<StaffNote> Notes, IReadOnlyList<CannedResponse> Canned, IReadOnlyList<FrontDesk.Bot.Staff.StaffMember> Colleagues,
    IReadOnlyList<CallbackRequest> Callbacks);

/// <summary>The transcript search's form values: office days in Asia/Tokyo, a channel or null for all, a keyword or "".</summary>
public sealed record SearchFilter(DateOnly From, DateOnly To, string? Channel, string Keyword);

/// <summary>
/// Server-rendered console pages. Every piece of user or staff text goes through the HTML encoder. With scripts on, the
/// pages stay live over the console hub (console/console.js re-fetches the server-rendered parts); without, they refresh.
/// </summary>
public static class ConsolePages
{
    static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    // Japanese stays readable in the page source; markup characters are still encoded.
    static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    static string E(string? text) => Encoder.Encode(text ?? "");

    static string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Tokyo).ToString("M/d HH:mm", CultureInfo.InvariantCulture);

    public static string Layout(string title, string body, string? user = null, string? antiforgery = null, bool refresh = false) => $$"""
        <!doctype html>
        <html lang="ja"><head><meta charset="utf-8"><title>{{E(title)}} - FrontDesk</title>
        {{(refresh ? "<noscript><meta http-equiv=\"refresh\" content=\"5\"></noscript>" : "")}}
        {{(user is null ? "" : "<script src=\"/console/assets/signalr.min.js\" defer></script><script src=\"/console/assets/console.js\" defer></script>")}}
        <style>
          body{font-family:"Noto Sans CJK JP",sans-serif;margin:0;background:#f4f6f8;color:#111}
          header{background:#0b4f6c;color:#fff;padding:.8rem 1.2rem;display:flex;justify-content:space-between;align-items:center}
          header a,header button{color:#fff;background:none;border:1px solid #fff;border-radius:4px;padding:.3rem .8rem;cursor:pointer;text-decoration:none}
          main{padding:1.2rem;max-width:70rem;margin:auto}
          .card{background:#fff;border-radius:8px;padding:1rem;margin-bottom:1rem;box-shadow:0 1px 3px #0002}
          .waiting{border-left:6px solid #d9480f}.active{border-left:6px solid #2b8a3e}
          .line{margin:.3rem 0;white-space:pre-wrap}.in{color:#0b4f6c}.out{color:#444}.coord{color:#2b8a3e}
          button.primary{background:#0b4f6c;color:#fff;border:0;border-radius:4px;padding:.5rem 1rem;font-size:1rem;cursor:pointer}
          textarea{width:100%;min-height:5rem;font-size:1rem} .meta{color:#555;font-size:.9rem} .error{color:#c92a2a}
          .note{background:#fff9db;padding:.4rem;border-radius:4px;margin:.3rem 0;white-space:pre-wrap} #live{font-size:.8rem;color:#b2f2bb;margin:0 .8rem} header nav a{margin-left:.4rem}
        </style></head><body>
        <header><div><strong>FrontDesk 相談員コンソール</strong>{{(user is null ? "" : "<span id=\"live\"></span><nav style=\"display:inline\"><a href=\"/console\">一覧</a><a href=\"/console/search\">過去の会話</a><a href=\"/console/canned\">定型文</a><a href=\"/console/registrations\">ふるさと住民登録</a></nav>")}}</div>
        {{(user is null ? "" : $"<form method=\"post\" action=\"/console/sign-out\"><span>{E(user)}</span> <input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"{E(antiforgery)}\"><button>サインアウト</button></form>")}}
        </header><main>{{body}}</main></body></html>
        """;

    public static string SignIn(string antiforgery, string? error) => Layout("サインイン", $"""
        <div class="card"><h1>サインイン</h1>
        {(error is null ? "" : $"<p class=\"error\">{E(error)}</p>")}
        <form method="post" action="/console/sign-in">
          <input type="hidden" name="__RequestVerificationToken" value="{E(antiforgery)}">
          <p><label>ログインID<br><input name="login" autocomplete="username" required></label></p>
          <p><label>パスワード<br><input name="password" type="password" autocomplete="current-password" required></label></p>
          <button class="primary">サインイン</button>
        </form></div>
        """);

    public static string Queue(IReadOnlyList<QueueItem> items, IReadOnlyDictionary<string, string> names, DateTimeOffset now, string user, string antiforgery, long undelivered = 0) =>
        Layout("対応待ち", $"<h1>対応待ち・対応中の会話</h1>{UndeliveredBanner(undelivered)}<div id=\"queue\" data-live=\"queue\">{QueueCards(items, names, now)}</div>", user, antiforgery, refresh: true);

    /// <summary>Bot replies the outbox set aside after retrying: users who did not get an answer.</summary>
    static string UndeliveredBanner(long count) => count == 0 ? "" :
        $"<p class=\"card error\" id=\"undelivered\" role=\"alert\">お客様に届けられなかったボットの返信が {count} 件あります（再送を続けた後に保留しました）。システム管理者に連絡してください。/health/delivery で件数を確認できます。</p>";

    /// <summary>The queue's cards alone: what the live page re-fetches when the hub announces a change.</summary>
    public static string QueueCards(IReadOnlyList<QueueItem> items, IReadOnlyDictionary<string, string> names, DateTimeOffset now)
    {
        var body = new StringBuilder();
        if (items.Count == 0)
            body.Append("<p class=\"card\">対応待ちの会話はありません。</p>");
        foreach (var item in items)
        {
            var waited = (int)(now - item.Handoff.RequestedAt).TotalMinutes;
            var status = item.Handoff.Status == HandoffStatus.Waiting
                ? $"待機中 {waited}分" + (item.Handoff.RemindedAt is null ? "" : " <strong class=\"error\">（長く待っています）</strong>")
                : $"対応中: {E(item.Handoff.Coordinator)}";
            body.Append($"""
                <div class="card {(item.Handoff.Status == HandoffStatus.Waiting ? "waiting" : "active")}" data-key="{E(item.Key)}">
                <p><a href="/console/c/{Uri.EscapeDataString(item.Key)}"><strong>{E(ChannelName(item.Channel))}{(item.Device is null ? "" : $"（{E(item.Device)}）")}</strong>{(names.TryGetValue(item.Key, out var name) ? $" <span class=\"name\">{E(name)} さん</span>" : "")} {E(item.Key)}</a>
                · {status} · 理由: {E(ReasonName(item.Handoff.Reason))}{(item.Handoff.CallbackRequested ? " · <strong>折り返し希望あり</strong>" : "")}</p>
                {Profile(item.Profile)}
                {Attachments(item.Handoff)}
                {string.Concat(item.Recent.Select(Line))}
                </div>
                """);
        }
        return body.ToString();
    }

    public static string Conversation(string key, string channel, HandoffState? handoff, IReadOnlyDictionary<string, string> profile,
        IReadOnlyList<TranscriptLine> lines, string user, string antiforgery, string? notice, ConversationExtras extras)
    {
        var form = (string action, string label, string extra) => $"""
            <form method="post" action="/console/c/{Uri.EscapeDataString(key)}/{action}" style="display:inline">
            <input type="hidden" name="__RequestVerificationToken" value="{E(antiforgery)}">{extra}<button class="primary">{label}</button></form>
            """;
        var canned = extras.Canned.Count == 0 ? "" : "<label>定型文 <select id=\"canned\"><option value=\"\">選んで挿入…</option>"
            + string.Concat(extras.Canned.Select(c => $"<option value=\"{E(c.Body)}\">{E(c.Title)}</option>")) + "</select></label><br>";
        var colleagues = string.Concat(extras.Colleagues.Where(c => c.Login != user).Select(c => $"<option value=\"{E(c.Login)}\">{E(c.DisplayName)}（{E(c.Login)}）</option>"));
        var actions = handoff switch
        {
            null => "<p>この会話はボットが対応しています。</p>",
            { Status: HandoffStatus.Waiting } => form("claim", "担当する", "") + " " + form("close", "ボットに戻す", ""),
            { Status: HandoffStatus.Active } when handoff.Coordinator == user =>
                form("reply", "送信", canned + $"<textarea name=\"text\" maxlength=\"{ConsoleActions.MaxReplyLength}\" required placeholder=\"利用者への返信（{ConsoleActions.MaxReplyLength:N0}文字まで）\"></textarea><br>")
                + " " + form("release", "待機列に戻す", "") + " " + form("close", "対応を終了してボットに戻す", "")
                + (colleagues.Length == 0 ? "" : "<p>" + form("transfer", "引き継ぐ", $"<label>引き継ぎ先 <select name=\"to\">{colleagues}</select></label> ") + "</p>"),
            _ => $"<p>{E(handoff.Coordinator)} さんが対応中です。</p>",
        };
        var callbacks = string.Concat(extras.Callbacks.Select(c => $"""
            <div class="card callback"><h2>折り返しのご依頼</h2><p>希望時間帯: {E(c.PreferredTime)} · {(c.ContactKind == "phone" ? "電話" : "メール")}: <strong>{E(c.Contact)}</strong></p>
            <p class="meta">受付 {Local(c.CreatedAt)} · {Local(c.ExpiresAt)} に自動削除</p></div>
            """));
        var notes = string.Concat(extras.Notes.Select(n => $"<p class=\"note\"><span class=\"meta\">{Local(n.At)} {E(n.Login)}</span> {E(n.Text)}</p>"));
        return Layout("会話", $"""
            <p><a href="/console">← 一覧へ</a></p>
            {(notice is null ? "" : $"<p class=\"card\" id=\"notice\">{E(notice)}</p>")}
            <div class="card"><h1>{E(ChannelName(channel))} {E(key)}</h1>
            {(handoff is null ? "" : $"<p class=\"meta\">理由: {E(ReasonName(handoff.Reason))} · 依頼 {Local(handoff.RequestedAt)}</p>")}
            {Profile(profile)}
            {Attachments(handoff)}</div>
            {callbacks}
            <div class="card" id="transcript" data-live="conversation" data-key="{E(key)}" data-status="{E(handoff?.Status.ToString() ?? "Closed")}" data-coordinator="{E(handoff?.Coordinator)}">{Transcript(lines)}</div>
            <div class="card">{actions}</div>
            <div class="card"><h2>相談員メモ（利用者には送られません）</h2>{notes}
            {form("note", "メモを残す", $"<textarea name=\"note\" maxlength=\"{ConsoleNotes.MaxNoteLength}\" required placeholder=\"スタッフ向けのメモ\"></textarea><br>")}</div>
            """, user, antiforgery);
    }

    public static string Transcript(IReadOnlyList<TranscriptLine> lines) => string.Concat(lines.Select(Line));

    public static string Search(SearchFilter filter, IReadOnlyList<SearchHit>? hits, string? error, string user, string antiforgery)
    {
        var option = (string value, string label) => $"<option value=\"{value}\"{(filter.Channel == (value.Length == 0 ? null : value) ? " selected" : "")}>{label}</option>";
        var body = new StringBuilder($"""
            <h1>過去の会話の検索</h1>
            <form method="get" action="/console/search" class="card">
              <label>開始日 <input type="date" name="from" value="{filter.From:yyyy-MM-dd}" required></label>
              <label>終了日 <input type="date" name="to" value="{filter.To:yyyy-MM-dd}" required></label>
              <label>チャネル <select name="channel">{option("", "すべて")}{option("line", "LINE")}{option("kiosk", "キオスク")}</select></label>
              <label>キーワード <input name="q" maxlength="100" value="{E(filter.Keyword)}" placeholder="例: 空き家"></label>
              <button class="primary">検索</button>
            </form>
            """);
        if (error is not null)
            body.Append($"<p class=\"card error\" id=\"notice\">{E(error)}</p>");
        if (hits is not null)
        {
            body.Append($"<p class=\"meta\">{hits.Count}件{(hits.Count >= ConsoleQueries.MaxSearchHits ? "（上限に達しました。条件を絞ってください）" : "")}</p>");
            foreach (var hit in hits)
                body.Append($"""
                    <div class="card hit"><p><a href="/console/c/{Uri.EscapeDataString(hit.Key)}"><strong>{E(ChannelName(hit.Channel))}</strong> {E(hit.Key)}</a>
                    · {Local(hit.First)}〜{Local(hit.Last)} · {hit.Lines}行</p>{(hit.Match is null ? "" : $"<p class=\"line\">{E(hit.Match)}</p>")}</div>
                    """);
        }
        return Layout("過去の会話", body.ToString(), user, antiforgery);
    }

    public static string Canned(IReadOnlyList<CannedResponse> items, string user, string antiforgery, string? notice)
    {
        var token = $"<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"{E(antiforgery)}\">";
        var editor = (CannedResponse? c) => $"""
            <form method="post" action="/console/canned">{token}{(c is null ? "" : $"<input type=\"hidden\" name=\"id\" value=\"{c.Id}\">")}
            <p><label>題名<br><input name="title" maxlength="{ConsoleNotes.MaxTitleLength}" required value="{E(c?.Title)}"></label></p>
            <p><label>本文<br><textarea name="body" maxlength="{ConsoleActions.MaxReplyLength}" required>{E(c?.Body)}</textarea></label></p>
            <button class="primary">{(c is null ? "追加する" : "保存する")}</button></form>
            """;
        var body = new StringBuilder("<h1>定型文（管理者）</h1>");
        if (notice is not null)
            body.Append($"<p class=\"card\" id=\"notice\">{E(notice)}</p>");
        foreach (var c in items)
            body.Append($"""<div class="card canned">{editor(c)}<form method="post" action="/console/canned/{c.Id}/delete">{token}<button>削除する</button></form></div>""");
        body.Append($"<div class=\"card\"><h2>新しい定型文</h2>{editor(null)}</div>");
        return Layout("定型文", body.ToString(), user, antiforgery);
    }

    static string Line(TranscriptLine line) =>
        $"<p class=\"line {(line.Inbound ? "in" : line.FromCoordinator ? "coord" : "out")}\"><span class=\"meta\">{Local(line.At)} {(line.Inbound ? "利用者" : line.FromCoordinator ? "相談員" : "ボット")}</span> {E(line.Text)}</p>";

    static string Profile(IReadOnlyDictionary<string, string> profile)
    {
        var intake = profile.Where(p => p.Key.StartsWith("intake.", StringComparison.Ordinal) && p.Key != "intake.completedAt").ToList();
        return intake.Count == 0 ? "" : "<p class=\"meta\">事前質問: " + string.Join(" / ", intake.Select(p => E($"{p.Key[7..]}={p.Value}"))) + "</p>";
    }

    static string Attachments(HandoffState? handoff) => handoff is null ? "" : string.Concat(handoff.Attachments.Select(a => $$"""
        <div class="attachment"><p><strong>{{E(a.Title)}}</strong>{{(a.Url is null || !a.Url.StartsWith("https://", StringComparison.Ordinal) && !a.Url.StartsWith("http://", StringComparison.Ordinal) ? "" : $" <a href=\"{E(a.Url)}\" rel=\"noreferrer\" target=\"_blank\">開く</a>")}}</p>
        <p class="meta">{{string.Join(" / ", a.Facts.Select(f => E($"{f.Label}: {f.Value}")))}}</p></div>
        """));

    static string ChannelName(string channel) => channel switch { "line" => "LINE", "kiosk" => "キオスク", "terminal" => "端末", _ => channel };

    static string ReasonName(string reason) => reason switch
    {
        "requested" => "利用者の希望", "kiosk" => "キオスクで呼び出し", "declined" => "ボットが回答できず", "emergency" => "緊急",
        "complaint" => "苦情", "personal" => "個人的な事情", "application" => "本人の申請について", "frustrated" => "不満のサイン", _ => reason,
    };
}
