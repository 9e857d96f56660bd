using System.Security.Claims;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Handoff;
using FrontDesk.Bot.Staff;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Coordinators;

/// <summary>
/// The coordinator console at /console: sign-in, the queue of handed-off conversations, and one conversation with
/// claim, reply, release and close. Actions go through the engine as events; each is written to the audit log.
/// </summary>
public static class ConsoleEndpoints
{
    public static IHostApplicationBuilder AddCoordinatorConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.SectionName);
        builder.Services.AddSingleton<ConsoleQueries>();
        builder.Services.AddSingleton<ConsoleActions>();
        builder.Services.AddSingleton<ConsoleNotes>();
        builder.Services.AddSingleton<LineDisplayNames>();
        builder.Services.AddSignalR();
        builder.Services.AddHostedService<ConsoleRelay>();
        return builder;
    }

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/console").AddEndpointFilter(RequireAntiforgeryOnPost);
        open.MapGet("/sign-in", (HttpContext http, IAntiforgery af) =>
            Html(ConsolePages.SignIn(af.GetAndStoreTokens(http).RequestToken!, null)));
        open.MapPost("/sign-in", SignInAsync).RequireRateLimiting(SignInLimits.Policy);

        app.MapHub<ConsoleHub>(ConsoleHub.Path);

        var staff = app.MapGroup("/console").RequireAuthorization(StaffExtensions.StaffPolicy).AddEndpointFilter(RequireAntiforgeryOnPost);
        staff.MapPost("/sign-out", async (HttpContext http, StaffAccounts accounts, CancellationToken ct) =>
        {
            await accounts.AuditAsync(http.User.Identity!.Name!, "sign-out", null, null, ct);
            // A new stamp: a copy of this cookie kept elsewhere stops working too.
            await accounts.EndSessionsAsync(http.User.Identity!.Name!, ct);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/console/sign-in");
        });
        staff.MapGet("/assets/{name}", (string name, IOptions<ConsoleOptions> options, IWebHostEnvironment env) =>
            ConsoleOptions.Assets.TryGetValue(name, out var relative) && Path.Combine(env.ContentRootPath, options.Value.ClientFolder, relative) is var file && File.Exists(file)
                ? Results.File(file, "text/javascript; charset=utf-8")
                : Results.NotFound());
        staff.MapGet("/", async (HttpContext http, ConsoleQueries queries, LineDisplayNames names, IAntiforgery af, TimeProvider time, Outbox outbox, CancellationToken ct) =>
        {
            var queue = await queries.QueueAsync(ct);
            return Html(ConsolePages.Queue(queue, await names.ForAllAsync(queue.Select(i => i.Key), ct), time.GetUtcNow(),
                http.User.Identity!.Name!, af.GetAndStoreTokens(http).RequestToken!, (await outbox.CountsAsync(ct)).SetAside));
        });
        staff.MapGet("/queue", async (ConsoleQueries queries, LineDisplayNames names, TimeProvider time, CancellationToken ct) =>
        {
            var queue = await queries.QueueAsync(ct);
            return Html(ConsolePages.QueueCards(queue, await names.ForAllAsync(queue.Select(i => i.Key), ct), time.GetUtcNow()));
        });
        staff.MapGet("/c/{key}", async (string key, string? notice, HttpContext http, ConsoleQueries queries, ConsoleNotes notes, StaffAccounts accounts,
            CallbackRequests callbacks, IAntiforgery af, CancellationToken ct) =>
        {
            var (state, lines) = await queries.ConversationAsync(key, ct);
            if (state is null || !ConsoleQueries.IsConversationKey(key))
                return Results.NotFound();
            await accounts.AuditAsync(http.User.Identity!.Name!, "view-conversation", key, null, ct);
            var requests = await callbacks.ForConversationAsync(key, ct);
            if (requests.Count > 0)
                await accounts.AuditAsync(http.User.Identity!.Name!, "view-callback", key, null, ct);
            var extras = new ConversationExtras(await notes.NotesAsync(key, ct), await notes.CannedAsync(ct), await accounts.ListAsync(ct), requests);
            return Html(ConsolePages.Conversation(key, ConversationAddress.Parse(key).Channel, state.Handoff, state.Profile, lines,
                http.User.Identity!.Name!, af.GetAndStoreTokens(http).RequestToken!, notice, extras));
        });
        // The live page's refresh of an already opened (and audited) conversation.
        staff.MapGet("/c/{key}/lines", async (string key, ConsoleQueries queries, CancellationToken ct) =>
        {
            var (state, lines) = await queries.ConversationAsync(key, ct);
            return state is null ? Results.NotFound() : Html(ConsolePages.Transcript(lines));
        });
        staff.MapGet("/search", SearchAsync);
        staff.MapPost("/c/{key}/claim", (string key, HttpContext http, ConsoleActions actions, CancellationToken ct) =>
            Done(key, actions.ClaimAsync(key, Login(http), ct)));
        staff.MapPost("/c/{key}/reply", (string key, [FromForm] string? text, HttpContext http, ConsoleActions actions, CancellationToken ct) =>
            Done(key, actions.ReplyAsync(key, Login(http), text, ct)));
        staff.MapPost("/c/{key}/release", (string key, HttpContext http, ConsoleActions actions, CancellationToken ct) =>
            Done(key, actions.ReleaseAsync(key, Login(http), ct)));
        staff.MapPost("/c/{key}/transfer", (string key, [FromForm] string? to, HttpContext http, ConsoleActions actions, CancellationToken ct) =>
            Done(key, actions.TransferAsync(key, Login(http), to, ct)));
        staff.MapPost("/c/{key}/close", (string key, HttpContext http, ConsoleActions actions, CancellationToken ct) =>
            Done(key, actions.CloseAsync(key, Login(http), ct)));
        staff.MapPost("/c/{key}/note", (string key, [FromForm] string? note, HttpContext http, ConsoleNotes notes, CancellationToken ct) =>
            Done(key, notes.AddAsync(key, Login(http), note, ct)));

        var admin = app.MapGroup("/console/canned").RequireAuthorization(StaffExtensions.AdminPolicy).AddEndpointFilter(RequireAntiforgeryOnPost);
        admin.MapGet("/", async (string? notice, HttpContext http, ConsoleNotes notes, IAntiforgery af, CancellationToken ct) =>
            Html(ConsolePages.Canned(await notes.CannedAsync(ct), Login(http), af.GetAndStoreTokens(http).RequestToken!, notice)));
        admin.MapPost("/", async ([FromForm] long? id, [FromForm] string? title, [FromForm] string? body, HttpContext http, ConsoleNotes notes, CancellationToken ct) =>
            CannedDone(await notes.SaveCannedAsync(id, title, body, Login(http), ct)));
        admin.MapPost("/{id:long}/delete", async (long id, HttpContext http, ConsoleNotes notes, CancellationToken ct) =>
            CannedDone(await notes.DeleteCannedAsync(id, Login(http), ct)));
        return app;
    }

    static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    /// <summary>Past conversations by date (office days, Asia/Tokyo), channel and keyword. Each search is audited, without the keyword.</summary>
    static async Task<IResult> SearchAsync(string? from, string? to, string? channel, string? q, HttpContext http, ConsoleQueries queries,
        StaffAccounts accounts, IAntiforgery af, TimeProvider time, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Tokyo).DateTime);
        var filter = new SearchFilter(today.AddDays(-6), today, channel is "line" or "kiosk" ? channel : null, q?.Trim() ?? "");
        string? error = null;
        if (from is not null || to is not null)
        {
            if (!DateOnly.TryParse(from, System.Globalization.CultureInfo.InvariantCulture, out var f) || !DateOnly.TryParse(to, System.Globalization.CultureInfo.InvariantCulture, out var t))
                error = "日付は YYYY-MM-DD の形で入力してください。";
            else if (t < f)
                error = "終了日は開始日以降にしてください。";
            else if (t.DayNumber - f.DayNumber > 366)
                error = "一度に検索できるのは1年分までです。";
            else
                filter = filter with { From = f, To = t };
        }
        if (filter.Keyword.Length > 100)
            error = "キーワードは100文字以内にしてください。";
        List<SearchHit>? hits = null;
        if (error is null && (from is not null || q is not null || channel is not null))
        {
            var start = new DateTimeOffset(filter.From.ToDateTime(TimeOnly.MinValue), Tokyo.GetUtcOffset(filter.From.ToDateTime(TimeOnly.MinValue)));
            var end = new DateTimeOffset(filter.To.AddDays(1).ToDateTime(TimeOnly.MinValue), Tokyo.GetUtcOffset(filter.To.AddDays(1).ToDateTime(TimeOnly.MinValue)));
            hits = await queries.SearchAsync(start, end, filter.Channel, filter.Keyword, ct);
            await accounts.AuditAsync(Login(http), "search", null,
                $"{filter.From:yyyy-MM-dd}..{filter.To:yyyy-MM-dd} channel={filter.Channel ?? "all"} keyword={(filter.Keyword.Length > 0 ? "yes" : "no")} hits={hits.Count}", ct);
        }
        return Html(ConsolePages.Search(filter, hits, error, Login(http), af.GetAndStoreTokens(http).RequestToken!), error is null ? 200 : 400);
    }

    static string Login(HttpContext http) => http.User.Identity!.Name!;

    static async Task<IResult> Done(string key, Task<ActionResult> action) =>
        Results.Redirect($"/console/c/{Uri.EscapeDataString(key)}?notice={Uri.EscapeDataString((await action).Message)}");

    static IResult CannedDone(ActionResult result) => Results.Redirect($"/console/canned?notice={Uri.EscapeDataString(result.Message)}");

    /// <summary>Every form post carries an antiforgery token, also the ones that bind no other form field.</summary>
    static async ValueTask<object?> RequireAntiforgeryOnPost(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method) && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            return FormExpired();
        return await next(context);
    }

    public const string FormExpiredMessage = "フォームの有効期限が切れたか、このコンソールから送られたフォームではありません。ページを再読み込みしてから、もう一度お試しください。" +
        "(The form has expired or did not come from this console. Reload the page and try again.)";

    /// <summary>400 for a form without a valid antiforgery token, as a page a coordinator can read.</summary>
    internal static IResult FormExpired() =>
        Html(ConsolePages.Layout("フォームを送れませんでした", $"<div class=\"card\"><p class=\"error\">{System.Net.WebUtility.HtmlEncode(FormExpiredMessage)}</p><p><a href=\"/console\">コンソールへ戻る</a></p></div>"),
            StatusCodes.Status400BadRequest);

    /// <summary>Unknown login, wrong password, locked or disabled account: one answer for all, so none can be told apart.</summary>
    public const string WrongCredentialsMessage = "ログインIDまたはパスワードが正しくありません。失敗が続くと、しばらくサインインできなくなります。";

    static async Task<IResult> SignInAsync([FromForm] string? login, [FromForm] string? password, HttpContext http, StaffAccounts accounts,
        SignInLimits limits, IAntiforgery af, CancellationToken ct)
    {
        login ??= "";
        if (!limits.TryAcquireForLogin(login))
            return Html(ConsolePages.SignIn(af.GetAndStoreTokens(http).RequestToken!, SignInLimits.Message), StatusCodes.Status429TooManyRequests);
        var (outcome, member) = await accounts.SignInAsync(login, password ?? "", ct);
        if (outcome != SignInOutcome.SignedIn)
        {
            var busy = outcome == SignInOutcome.Busy;
            return Html(ConsolePages.SignIn(af.GetAndStoreTokens(http).RequestToken!, busy ? "ただいま混み合っています。少し待ってからもう一度お試しください。" : WrongCredentialsMessage),
                busy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status401Unauthorized);
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, member!.Login), new Claim(ClaimTypes.Role, member.Role), new Claim("display_name", member.DisplayName), .. SessionStamps.ClaimsOf(member)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect("/console");
    }

    // Scripts only from this host (no inline script can run even if some text escaped encoding); the hub on the same origin.
    const string ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>A console page with the console's security headers; the registration pages use it too.</summary>
    internal static IResult Html(string html, int status = StatusCodes.Status200OK) => new SecuredPage(html, status);

    sealed class SecuredPage(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status).ExecuteAsync(http);
        }
    }
}
