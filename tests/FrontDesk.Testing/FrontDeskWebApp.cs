using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Testing;

/// <summary>The real web host (Program.cs) on Kestrel at 127.0.0.1 with a random port, against a test database.</summary>
public sealed class FrontDeskWebApp : WebApplicationFactory<Program>
{
    readonly string connectionString;
    readonly string environment;
    readonly IDictionary<string, string?> settings;
    readonly Action<IServiceCollection>? services;

    public FrontDeskWebApp(string connectionString, string environment = "Development",
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        this.connectionString = connectionString;
        this.environment = environment;
        this.settings = settings ?? new Dictionary<string, string?>();
        this.services = services;
        UseKestrel(0);
        StartServer();
        using var probe = CreateClient();
        ServerAddress = probe.BaseAddress!;
    }

    /// <summary>Where Kestrel listens (http://127.0.0.1:port/).</summary>
    public Uri ServerAddress { get; }

    /// <summary>A client that keeps cookies like a browser and shows redirects instead of following them.</summary>
    public HttpClient CreateBrowser() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = ServerAddress };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = connectionString,
            ["Jobs:RunServer"] = "false",
        }).AddInMemoryCollection(settings));
        if (services is not null)
            builder.ConfigureServices(services);
    }
}
