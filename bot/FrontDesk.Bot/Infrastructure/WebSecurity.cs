using System.Net;
using FrontDesk.Bot.Coordinators;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace FrontDesk.Bot.Infrastructure;

public sealed class WebSecurityOptions
{
    public const string SectionName = "Web";

    /// <summary>Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed. None by default.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. 10.0.0.0/24) of such proxies.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);
}

/// <summary>
/// What every request goes through before the features: forwarded headers from known proxies only (so https at the
/// proxy makes the request https here: Secure cookies, HSTS, wss:// for the kiosk), HSTS on https, client errors as 4xx
/// (never 500), and console form fields cleaned of what PostgreSQL cannot store.
/// </summary>
public static class WebSecurity
{
    public static IHostApplicationBuilder AddWebSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebSecurityOptions>().BindConfiguration(WebSecurityOptions.SectionName);
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebSecurityOptions>>((forwarded, web) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; here nothing is trusted unless configured.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            // Blank entries are allowed, so a deployment file can pass an unset variable through.
            foreach (var proxy in web.Value.KnownProxies.Where(p => !string.IsNullOrWhiteSpace(p)))
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
            foreach (var network in web.Value.KnownNetworks.Where(n => !string.IsNullOrWhiteSpace(n)))
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
        });
        builder.Services.AddOptions<HstsOptions>().Configure<IOptions<WebSecurityOptions>>((hsts, web) => hsts.MaxAge = web.Value.HstsMaxAge);
        builder.Services.AddExceptionHandler<ClientErrorHandler>();
        return builder;
    }

    public static WebApplication UseWebSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseHsts();
        app.Use(CleanConsoleInputAsync);
        return app;
    }

    /// <summary>
    /// After UseAntiforgery: every console form post (and any endpoint that binds form fields) without a valid token
    /// answers with the console's clear 400 page here, before binding would turn it into a bare 400 or an exception.
    /// </summary>
    public static WebApplication UseAntiforgeryAnswer(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var request = http.Request;
            var refused = http.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: true }
                && http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false };
            if (!refused && HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/console") && !request.Path.StartsWithSegments(ConsoleHub.Path))
                refused = !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http);
            if (refused)
            {
                await ConsoleEndpoints.FormExpired().ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        return app;
    }

    /// <summary>NUL and lone surrogates cannot be stored in PostgreSQL text; in a console form field or query they are dropped.</summary>
    static async Task CleanConsoleInputAsync(HttpContext http, RequestDelegate next)
    {
        var request = http.Request;
        if (request.Path.StartsWithSegments("/console"))
        {
            if (request.Query.Any(q => NeedsCleaning(q.Value)))
                request.Query = new QueryCollection(request.Query.ToDictionary(q => q.Key, q => Clean(q.Value)));
            if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(http.RequestAborted);
                if (form.Any(f => NeedsCleaning(f.Value) || NeedsCleaning(f.Key)))
                    request.Form = new FormCollection(form.GroupBy(f => CleanText(f.Key)).ToDictionary(g => g.Key, g => Clean(new StringValues(g.SelectMany(f => f.Value.ToArray()).ToArray()))), form.Files);
            }
        }
        await next(http);
    }

    static bool NeedsCleaning(StringValues values) => values.Any(v => v is not null && CleanText(v).Length != v.Length);

    static StringValues Clean(StringValues values) => new(values.Select(v => v is null ? null : CleanText(v)).ToArray());

    static string CleanText(string text)
    {
        if (!text.Any(c => c == '\0' || char.IsSurrogate(c)))
            return text;
        var sb = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                sb.Append(text[i]).Append(text[++i]);
            else if (text[i] != '\0' && !char.IsSurrogate(text[i]))
                sb.Append(text[i]);
        }
        return sb.ToString();
    }

    /// <summary>
    /// A request the server could not read (a form without a valid antiforgery token, a missing form field, a body that
    /// is not a form, too many fields) is the client's error: 400 (or the status it carries) with a clear message.
    /// </summary>
    sealed class ClientErrorHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            if (exception is not (BadHttpRequestException or InvalidDataException) || http.Response.HasStarted)
                return false;
            if (http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
            {
                await ConsoleEndpoints.FormExpired().ExecuteAsync(http);
                return true;
            }
            var status = exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
            http.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = status,
                    Title = status == StatusCodes.Status413PayloadTooLarge ? "The request is too large" : "The request could not be read",
                    Detail = "Check the form or body and send it again.",
                },
            });
        }
    }
}
