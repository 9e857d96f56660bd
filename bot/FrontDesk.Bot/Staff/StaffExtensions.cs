using FrontDesk.Bot.Infrastructure;
using FrontDesk.Knowledge.Database;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace FrontDesk.Bot.Staff;

public static class StaffExtensions
{
    public const string StaffPolicy = "staff";
    public const string AdminPolicy = "staff-admin";

    /// <summary>Staff accounts, cookie sign-in for the console and the jobs dashboard, and antiforgery for their forms.</summary>
    public static IHostApplicationBuilder AddStaff(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StaffOptions>().BindConfiguration(StaffOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(_ => new PasswordVerifier());
        builder.Services.AddSingleton<StaffAccounts>();
        builder.Services.AddSingleton<SessionStamps>();
        builder.Services.AddSingleton<SignInLimits>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<StaffOptions>>((limiter, staff) => SignInLimits.AddPolicy(limiter, staff.Value));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/console/sign-in";
                o.LogoutPath = "/console/sign-out";
                o.Cookie.Name = "frontdesk.staff";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request is https, also behind a TLS proxy (forwarded headers).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Events.OnValidatePrincipal = SessionStamps.ValidateAsync;
                o.ExpireTimeSpan = TimeSpan.FromHours(10);
                o.SlidingExpiration = true;
                // Pages redirect to the sign-in form; the live hub and admin-only pages answer with a plain status instead.
                o.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicy, p => p.RequireAuthenticatedUser().RequireRole(StaffAccounts.Roles))
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole("admin"));
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "frontdesk.af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    static Task Answer(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/console/hub"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>`staff add LOGIN --name NAME --role coordinator|admin`; the password comes from FRONTDESK_STAFF_PASSWORD or is asked for.</summary>
    public static async Task<int> RunCommandAsync(string[] args)
    {
        if (args is not [var verb and ("add" or "disable" or "role" or "password" or "sign-out"), var login, .. var rest] || login.StartsWith('-'))
        {
            Console.Error.WriteLine("Usage: staff add LOGIN --name \"DISPLAY NAME\" --role coordinator|admin   (password: FRONTDESK_STAFF_PASSWORD or prompt)");
            Console.Error.WriteLine("       staff disable|sign-out LOGIN,  staff role LOGIN --role coordinator|admin,  staff password LOGIN   (each ends the account's sessions)");
            return 2;
        }
        var builder = Host.CreateApplicationBuilder(rest);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddDatabase();
        builder.AddAllSchemas();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => new PasswordVerifier());
        builder.Services.AddSingleton<StaffAccounts>();
        using var host = builder.Build();
        await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        var accounts = host.Services.GetRequiredService<StaffAccounts>();
        if (verb != "add")
        {
            try
            {
                var changed = verb switch
                {
                    "disable" => await accounts.DisableAsync(login, CancellationToken.None),
                    "sign-out" => await accounts.EndSessionsAsync(login, CancellationToken.None),
                    "role" => await accounts.SetRoleAsync(login, builder.Configuration["role"] ?? "", CancellationToken.None),
                    _ => await accounts.SetPasswordAsync(login, Environment.GetEnvironmentVariable("FRONTDESK_STAFF_PASSWORD") ?? ReadHidden("New password (12+ characters): "), CancellationToken.None),
                };
                Console.WriteLine(changed ? $"Done: '{login}' ({verb}); its sessions end within {new StaffOptions().SessionCheckInterval.TotalSeconds:0} s on every host." : $"No staff member '{login}'.");
                return changed ? 0 : 1;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        }

        var password = Environment.GetEnvironmentVariable("FRONTDESK_STAFF_PASSWORD") ?? ReadHidden("Password (12+ characters): ");
        try
        {
            var member = await accounts.AddAsync(
                login, builder.Configuration["name"] ?? login, builder.Configuration["role"] ?? "coordinator", password, CancellationToken.None);
            Console.WriteLine($"Added {member.Role} '{member.Login}' ({member.DisplayName}).");
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            Console.Error.WriteLine(e is ArgumentException ? e.Message : $"A staff member '{login}' already exists.");
            return 1;
        }
    }

    static string ReadHidden(string prompt)
    {
        Console.Write(prompt);
        if (Console.IsInputRedirected)
            return Console.ReadLine() ?? "";
        var password = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && password.Length > 0)
                password.Length--;
            else if (!char.IsControl(key.KeyChar))
                password.Append(key.KeyChar);
        }
        Console.WriteLine();
        return password.ToString();
    }
}
