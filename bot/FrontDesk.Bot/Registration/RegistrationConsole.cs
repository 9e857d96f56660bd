using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Coordinators;
using FrontDesk.Bot.Staff;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace FrontDesk.Bot.Registration;

/// <summary>
/// Staff pages under /console/registrations: list and search, detail with the involvement log and engagement level,
/// CSV export, duplicates and merging. Personal data is shown only to the registrar role (admin accounts); every
/// view and export is written to the audit log (never the data itself, never the search text).
/// </summary>
public static class RegistrationConsole
{
    public const string RegistrarPolicy = "registrar";
    /// <summary>Roles that may see registrants' personal data.</summary>
    public static readonly string[] RegistrarRoles = ["admin"];

    static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    static string E(string? text) => Encoder.Encode(text ?? "");

    public static IEndpointRouteBuilder MapRegistration(this IEndpointRouteBuilder app)
    {
        app.MapPrivacyNotice();
        var registrar = app.MapGroup("/console/registrations").RequireAuthorization(RegistrarPolicy).AddEndpointFilter(RequireAntiforgeryOnPost);
        registrar.MapGet("/", ListAsync);
        registrar.MapGet("/export.csv", ExportAsync);
        registrar.MapGet("/{id:long}", DetailAsync);
        registrar.MapPost("/{id:long}/involvements", AddInvolvementAsync);
        registrar.MapPost("/{id:long}/delete", DeleteAsync);
        registrar.MapPost("/merge", MergeAsync);
        // A coordinator helping someone with the form sees that draft, but only while the conversation is handed over.
        app.MapGet("/console/registrations/draft", DraftAsync).RequireAuthorization(StaffExtensions.StaffPolicy);
        return app;
    }

    static async ValueTask<object?> RequireAntiforgeryOnPost(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method) && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            return Results.Problem("The form has expired or did not come from this console. Reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
        return await next(context);
    }

    static string Login(HttpContext http) => http.User.Identity!.Name!;

    static IResult Html(string html, int status = StatusCodes.Status200OK) => ConsoleEndpoints.Html(html, status);

    static string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Tokyo).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    static bool MatchesSearch(RegistrationRecord r, string q)
    {
        var f = r.Form;
        var folded = RegistrationInput.Fold(q).ToLowerInvariant();
        var digits = new string(folded.Where(char.IsAsciiDigit).ToArray());
        return new[] { r.Number, f.NameKanji, f.NameKana, f.Email, f.Address, string.Join(' ', f.Municipalities ?? []) }
                   .Any(v => v?.ToLowerInvariant().Contains(folded, StringComparison.Ordinal) == true)
               || RegistrationInput.Kana(q).Value is { } kana && f.NameKana?.Contains(kana, StringComparison.Ordinal) == true
               || digits.Length >= 4 && (f.Phone?.Contains(digits, StringComparison.Ordinal) == true || f.PostalCode?.Contains(digits, StringComparison.Ordinal) == true);
    }

    static async Task<IResult> ListAsync(string? q, string? notice, HttpContext http, RegistrationStore store, StaffAccounts accounts, IAntiforgery af, CancellationToken ct)
    {
        var all = await store.AllAsync(ct);
        var shown = string.IsNullOrWhiteSpace(q) ? all : all.Where(r => MatchesSearch(r, q.Trim())).ToList();
        var duplicates = await store.DuplicateGroupsAsync(ct);
        // The search text may itself be personal data: the audit keeps only that a search happened and how many rows showed.
        await accounts.AuditAsync(Login(http), string.IsNullOrWhiteSpace(q) ? "view-registrations" : "search-registrations", null, $"rows={shown.Count}", ct);
        var token = af.GetAndStoreTokens(http).RequestToken!;
        var body = new StringBuilder($"""
            <p><a href="/console">← 相談員コンソール</a></p>
            <h1>ふるさと住民登録</h1>
            {(notice is null ? "" : $"<p class=\"card\">{E(notice)}</p>")}
            <div class="card"><form method="get" action="/console/registrations">
            <label>検索（氏名・フリガナ・メール・電話・郵便番号・住所・市町村・登録番号）<br><input name="q" value="{E(q)}" maxlength="100"></label>
            <button class="primary">検索</button> <a href="/console/registrations/export.csv">CSVで書き出す</a></form>
            <p class="meta">有効な登録 {all.Count}件 · 削除済み（匿名の件数） {await store.RemovalCountAsync(ct)}件</p></div>
            """);
        var byId = all.ToDictionary(r => r.Id);
        foreach (var group in duplicates.Where(g => g.All(byId.ContainsKey)))
        {
            var keep = group[0];
            body.Append("<div class=\"card waiting\"><p><strong>重複の可能性</strong>（同じLINEアカウントまたは同じメールアドレス）</p>");
            foreach (var other in group.Skip(1))
                body.Append($"""
                    <form method="post" action="/console/registrations/merge">
                    <input type="hidden" name="__RequestVerificationToken" value="{E(token)}">
                    <input type="hidden" name="keep" value="{keep}"><input type="hidden" name="other" value="{other}">
                    {E(byId[other].Number)}（{E(byId[other].Form.NameKanji)}）を {E(byId[keep].Number)}（{E(byId[keep].Form.NameKanji)}）に
                    <button class="primary">統合する</button></form>
                    """);
            body.Append("</div>");
        }
        body.Append("<div class=\"card\"><table><tr><th>登録番号</th><th>氏名</th><th>区分</th><th>経路</th><th>登録日時</th></tr>");
        foreach (var r in shown)
            body.Append($"<tr><td><a href=\"/console/registrations/{r.Id}\">{E(r.Number)}</a></td><td>{E(r.Form.NameKanji)}</td><td>{E(PlanName(r.Plan))}</td><td>{E(r.Channel)}</td><td>{Local(r.CreatedAt)}</td></tr>");
        body.Append("</table></div>");
        return Html(ConsolePages.Layout("ふるさと住民登録", body.ToString(), Login(http), token));
    }

    static async Task<IResult> DetailAsync(long id, string? notice, HttpContext http, RegistrationStore store, StaffAccounts accounts, IAntiforgery af, TimeProvider time, CancellationToken ct)
    {
        var r = await store.ByIdAsync(id, ct);
        if (r is null || r.MergedInto is not null)
            return Results.NotFound();
        var log = await store.InvolvementsAsync(id, ct);
        await accounts.AuditAsync(Login(http), "view-registration", r.Number, null, ct);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Tokyo).DateTime);
        var points = Engagement.Points(log, today);
        var token = af.GetAndStoreTokens(http).RequestToken!;
        var facts = string.Concat(RegistrationFields.Summary(r.Form).Select(l => $"<tr><th>{E(l.Label.Ja)}</th><td>{E(l.Value.Ja)}</td></tr>"));
        var kinds = string.Concat(Engagement.Kinds.Select(k => $"<option value=\"{k}\">{E(Engagement.KindName(k))}</option>"));
        var body = $"""
            <p><a href="/console/registrations">← 登録一覧</a></p>
            {(notice is null ? "" : $"<p class=\"card\">{E(notice)}</p>")}
            <div class="card"><h1>{E(r.Number)}</h1>
            <p class="meta">{E(PlanName(r.Plan))} · {E(r.Channel)} · 登録 {Local(r.CreatedAt)} · 更新 {Local(r.UpdatedAt)}</p>
            <table>{facts}</table></div>
            <div class="card"><h2>関わりの記録</h2>
            <p>関わりの度合い: <strong>{E(Engagement.Level(points))}</strong>（過去12か月 {points}点）</p>
            <ul>{string.Concat(log.Select(i => $"<li>{i.OccurredOn:yyyy-MM-dd} {E(Engagement.KindName(i.Kind))} {E(i.Note)} <span class=\"meta\">（{E(i.AddedBy)}）</span></li>"))}</ul>
            <form method="post" action="/console/registrations/{r.Id}/involvements">
            <input type="hidden" name="__RequestVerificationToken" value="{E(token)}">
            <select name="kind">{kinds}</select> <input type="date" name="on" required> <input name="note" maxlength="200" placeholder="メモ（任意）">
            <button class="primary">記録する</button></form></div>
            <div class="card"><form method="post" action="/console/registrations/{r.Id}/delete">
            <input type="hidden" name="__RequestVerificationToken" value="{E(token)}">
            <button>この登録を削除する（本人の申し出による）</button></form></div>
            """;
        return Html(ConsolePages.Layout(r.Number, body, Login(http), token));
    }

    static async Task<IResult> AddInvolvementAsync(long id, [FromForm] string kind, [FromForm] string on, [FromForm] string? note, HttpContext http,
        RegistrationStore store, StaffAccounts accounts, CancellationToken ct)
    {
        var r = await store.ByIdAsync(id, ct);
        if (r is null || r.MergedInto is not null)
            return Results.NotFound();
        if (!Engagement.Kinds.Contains(kind) || !DateOnly.TryParseExact(on, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || note?.Length > 200)
            return Results.Redirect($"/console/registrations/{id}?notice=" + Uri.EscapeDataString("種類・日付・メモ（200文字まで）を確認してください。"));
        await store.AddInvolvementAsync(id, kind, date, note, Login(http), ct);
        await accounts.AuditAsync(Login(http), "add-involvement", r.Number, kind, ct);
        return Results.Redirect($"/console/registrations/{id}?notice=" + Uri.EscapeDataString("記録しました。"));
    }

    static async Task<IResult> DeleteAsync(long id, HttpContext http, RegistrationStore store, StaffAccounts accounts, CancellationToken ct)
    {
        var r = await store.ByIdAsync(id, ct);
        if (r is null || !await store.DeleteAsync(id, byStaff: true, ct))
            return Results.NotFound();
        await accounts.AuditAsync(Login(http), "delete-registration", r.Number, null, ct);
        return Results.Redirect("/console/registrations?notice=" + Uri.EscapeDataString($"{r.Number} を削除しました。"));
    }

    static async Task<IResult> MergeAsync([FromForm] long keep, [FromForm] long other, HttpContext http, RegistrationStore store, StaffAccounts accounts, CancellationToken ct)
    {
        var (kept, merged) = (await store.ByIdAsync(keep, ct), await store.ByIdAsync(other, ct));
        if (kept is null || merged is null || !await store.MergeAsync(keep, other, ct))
            return Results.Redirect("/console/registrations?notice=" + Uri.EscapeDataString("統合できませんでした（すでに統合済みか、見つかりません）。"));
        await accounts.AuditAsync(Login(http), "merge-registrations", kept.Number, merged.Number, ct);
        return Results.Redirect("/console/registrations?notice=" + Uri.EscapeDataString($"{merged.Number} を {kept.Number} に統合しました。"));
    }

    static async Task<IResult> ExportAsync(HttpContext http, RegistrationStore store, StaffAccounts accounts, TimeProvider time, CancellationToken ct)
    {
        var all = await store.AllAsync(ct);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Tokyo).DateTime);
        var csv = new StringBuilder();
        csv.Append(string.Join(',', CsvColumns)).Append("\r\n");
        foreach (var r in all.OrderBy(r => r.Id))
        {
            var log = await store.InvolvementsAsync(r.Id, ct);
            var f = r.Form;
            string[] row =
            [
                r.Number, TimeZoneInfo.ConvertTime(r.CreatedAt, Tokyo).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture), r.Channel, r.Plan,
                f.NameKanji ?? "", f.NameKana ?? "", f.Email ?? "", f.Phone ?? "", f.PostalCode ?? "", f.Address ?? "", f.BirthYear ?? "",
                string.Join(';', f.Relations ?? []), string.Join(';', f.Municipalities ?? []), string.Join(';', f.Topics ?? []),
                log.Count.ToString(CultureInfo.InvariantCulture), Engagement.Level(Engagement.Points(log, today)),
            ];
            csv.Append(string.Join(',', row.Select(Cell))).Append("\r\n");
        }
        await accounts.AuditAsync(Login(http), "export-registrations", null, $"rows={all.Count}", ct);
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
        return Results.File(bytes, "text/csv; charset=utf-8", $"furusato-registrations-{today:yyyyMMdd}.csv");
    }

    /// <summary>The export's columns, in order (documented in README.md).</summary>
    public static readonly string[] CsvColumns =
    [
        "registration_number", "registered_at", "channel", "plan", "name_kanji", "name_kana", "email", "phone", "postal_code", "address",
        "birth_year", "relations", "municipalities", "topics", "involvement_count", "engagement_level",
    ];

    /// <summary>RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet does not run it as a formula.</summary>
    internal static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    static async Task<IResult> DraftAsync(string? conversation, HttpContext http, RegistrationStore store, ConsoleQueries queries, StaffAccounts accounts,
        IAntiforgery af, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(conversation))
            return Results.NotFound();
        var (state, _) = await queries.ConversationAsync(conversation, ct);
        var registrar = RegistrarRoles.Any(http.User.IsInRole);
        if (state is null || state.Handoff is null && !registrar)
            return Results.NotFound();
        var draft = await store.DraftAsync(store.OwnerIndex(conversation), ct);
        await accounts.AuditAsync(Login(http), "view-registration-draft", conversation, null, ct);
        var rows = draft is null ? "<p>入力途中の登録はありません（完了・中止・期限切れ）。</p>"
            : "<table>" + string.Concat(RegistrationFields.Summary(draft.Form).Select(l => $"<tr><th>{E(l.Label.Ja)}</th><td>{E(l.Value.Ja)}</td></tr>")) + "</table>";
        var body = $"""
            <p><a href="/console/c/{Uri.EscapeDataString(conversation)}">← 会話へ</a></p>
            <div class="card"><h1>ふるさと住民登録の下書き</h1><p class="meta">{E(conversation)}</p>{rows}</div>
            """;
        return Html(ConsolePages.Layout("登録の下書き", body, Login(http), af.GetAndStoreTokens(http).RequestToken!));
    }

    static string PlanName(string plan) => plan == "premium" ? "プレミアム" : "ベーシック";
}
