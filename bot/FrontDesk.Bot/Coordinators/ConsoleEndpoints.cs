using System.Security.Claims;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Handoff;
using FrontDesk.Bot.Staff;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace FrontDesk.Bot.Coordinators;

/// <summary>
/// The coordinator console at /console: sign-in, the queue of handed-off conversations, and one conversation with
/// claim, reply, release and close. Actions go through the engine as events; each is written to the audit log.
/// </summary>
public static class ConsoleEndpoints
{
    public static IHostApplicationBuilder AddCoordinatorConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConsoleQueries>();
        return builder;
    }

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/console").AddEndpointFilter(RequireAntiforgeryOnPost);
        open.MapGet("/sign-in", (HttpContext http, IAntiforgery af) =>
            Html(ConsolePages.SignIn(af.GetAndStoreTokens(http).RequestToken!, null)));
        open.MapPost("/sign-in", SignInAsync);

        var staff = app.MapGroup("/console").RequireAuthorization(StaffExtensions.StaffPolicy).AddEndpointFilter(RequireAntiforgeryOnPost);
        staff.MapPost("/sign-out", async (HttpContext http, StaffAccounts accounts, CancellationToken ct) =>
        {
            await accounts.AuditAsync(http.User.Identity!.Name!, "sign-out", null, null, ct);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/console/sign-in");
        });
        staff.MapGet("/", async (HttpContext http, ConsoleQueries queries, IAntiforgery af, TimeProvider time, CancellationToken ct) =>
            Html(ConsolePages.Queue(await queries.QueueAsync(ct), time.GetUtcNow(), http.User.Identity!.Name!, af.GetAndStoreTokens(http).RequestToken!)));
        staff.MapGet("/c/{key}", async (string key, string? notice, HttpContext http, ConsoleQueries queries, StaffAccounts accounts, IAntiforgery af, CancellationToken ct) =>
        {
            var (state, lines) = await queries.ConversationAsync(key, ct);
            if (state is null)
                return Results.NotFound();
            await accounts.AuditAsync(http.User.Identity!.Name!, "view-conversation", key, null, ct);
            return Html(ConsolePages.Conversation(key, ConversationAddress.Parse(key).Channel, state.Handoff, state.Profile, lines,
                http.User.Identity!.Name!, af.GetAndStoreTokens(http).RequestToken!, notice));
        });
        staff.MapPost("/c/{key}/claim", (string key, HttpContext http, ConversationEngine engine, ConsoleQueries q, StaffAccounts a, CancellationToken ct) =>
            ActAsync(key, HandoffEvents.Claim, null, http, engine, q, a, ct));
        staff.MapPost("/c/{key}/reply", (string key, [FromForm] string text, HttpContext http, ConversationEngine engine, ConsoleQueries q, StaffAccounts a, CancellationToken ct) =>
            ActAsync(key, HandoffEvents.Message, text, http, engine, q, a, ct));
        staff.MapPost("/c/{key}/release", (string key, HttpContext http, ConversationEngine engine, ConsoleQueries q, StaffAccounts a, CancellationToken ct) =>
            ActAsync(key, HandoffEvents.Release, null, http, engine, q, a, ct));
        staff.MapPost("/c/{key}/close", (string key, HttpContext http, ConversationEngine engine, ConsoleQueries q, StaffAccounts a, CancellationToken ct) =>
            ActAsync(key, HandoffEvents.Close, null, http, engine, q, a, ct));
        return app;
    }

    /// <summary>Every form post carries an antiforgery token, also the ones that bind no other form field.</summary>
    static async ValueTask<object?> RequireAntiforgeryOnPost(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method) && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            return Results.Problem("The form has expired or did not come from this console. Reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
        return await next(context);
    }

    static async Task<IResult> SignInAsync([FromForm] string login, [FromForm] string password, HttpContext http, StaffAccounts accounts, IAntiforgery af, CancellationToken ct)
    {
        var (outcome, member) = await accounts.SignInAsync(login, password, ct);
        if (outcome != SignInOutcome.SignedIn)
        {
            var message = outcome == SignInOutcome.LockedOut
                ? "サインインの失敗が続いたため、しばらくロックしています。15分ほどしてからお試しください。"
                : "ログインIDまたはパスワードが正しくありません。";
            return Html(ConsolePages.SignIn(af.GetAndStoreTokens(http).RequestToken!, message), StatusCodes.Status401Unauthorized);
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, member!.Login), new Claim(ClaimTypes.Role, member.Role), new Claim("display_name", member.DisplayName)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect("/console");
    }

    static async Task<IResult> ActAsync(string key, string action, string? text, HttpContext http, ConversationEngine engine,
        ConsoleQueries queries, StaffAccounts accounts, CancellationToken ct)
    {
        ConversationAddress address;
        try
        {
            address = ConversationAddress.Parse(key);
        }
        catch (FormatException)
        {
            return Results.NotFound();
        }
        var login = http.User.Identity!.Name!;
        if ((await queries.ConversationAsync(key, ct)).State is null)
            return Results.NotFound();
        if (action == HandoffEvents.Message && string.IsNullOrWhiteSpace(text))
            return Results.Redirect($"/console/c/{Uri.EscapeDataString(key)}?notice={Uri.EscapeDataString("返信が空です。")}");

        await engine.HandleAsync(address, Activity.Event(action) with { Value = login, Text = text }, ct);
        // The audit keeps who did what to which conversation, not what was written.
        await accounts.AuditAsync(login, action.Replace("handoff.", ""), key, null, ct);

        var (state, _) = await queries.ConversationAsync(key, ct);
        var notice = action switch
        {
            HandoffEvents.Claim when state?.Handoff?.Coordinator == login => "この会話を担当しました。",
            HandoffEvents.Claim => "ほかの相談員がすでに担当しています。",
            HandoffEvents.Close => "対応を終了し、ボットに戻しました。",
            HandoffEvents.Release => "待機列に戻しました。",
            _ => null,
        };
        return Results.Redirect($"/console/c/{Uri.EscapeDataString(key)}" + (notice is null ? "" : "?notice=" + Uri.EscapeDataString(notice)));
    }

    static IResult Html(string html, int status = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
