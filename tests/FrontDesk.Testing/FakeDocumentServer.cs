using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FrontDesk.Testing;

/// <summary>A public web page as a knowledge source would see it: real HTTP on loopback, ETag and 304, failures on demand.</summary>
public sealed class FakeDocumentServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentDictionary<string, (string ContentType, byte[] Body)> documents = new();

    public ConcurrentQueue<(string Path, string? IfNoneMatch, int Status)> Requests { get; } = new();
    public int? FailWith { get; set; }
    public string BaseUrl { get; private set; } = "";

    FakeDocumentServer(WebApplication app) => this.app = app;

    public static async Task<FakeDocumentServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeDocumentServer(app);
        app.Run(server.ServeAsync);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public void Put(string path, string contentType, byte[] body) => documents[path] = (contentType, body);

    async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        int status;
        if (FailWith is { } failure)
        {
            status = failure;
        }
        else if (!documents.TryGetValue(path, out var doc))
        {
            status = 404;
        }
        else
        {
            var etag = "\"" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(doc.Body))[..16] + "\"";
            context.Response.Headers.ETag = etag;
            status = ifNoneMatch == etag ? 304 : 200;
            if (status == 200)
            {
                context.Response.ContentType = doc.ContentType;
                context.Response.StatusCode = 200;
                await context.Response.Body.WriteAsync(doc.Body);
            }
        }
        Requests.Enqueue((path, ifNoneMatch.Length == 0 ? null : ifNoneMatch, status));
        if (!context.Response.HasStarted)
            context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
