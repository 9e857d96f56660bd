using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Menu;
using FrontDesk.Bot.Flows.Questions;
using FrontDesk.Knowledge.Listings;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Flows.Listings;

public static class ListingSearchExtensions
{
    /// <summary>The listing search flow, its free-text intent, the card buttons and a main-menu entry.</summary>
    public static IHostApplicationBuilder AddListingSearch(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ListingSearchFlow>();
        services.AddSingleton<Flow>(sp => sp.GetRequiredService<ListingSearchFlow>());
        services.AddSingleton<TextIntent, ListingTextIntent>();
        services.AddSingleton<Interruption, ListingButtons>();
        services.AddSingleton(new MenuEntry(20, new("空き家バンクの物件を探す", "Search vacant houses"),
            new("地域や予算から空き家を探せます", "Find vacant houses by place and budget"), Commands.StartFlow, ListingSearchFlow.FlowName));
        return builder;
    }

    /// <summary>Serves listing photos from the configured folder under /listings/photos/{name}.</summary>
    public static IEndpointRouteBuilder MapListingPhotos(this IEndpointRouteBuilder app)
    {
        app.MapGet(ListingPhotos.PathPrefix + "{name}", (string name, HttpContext http, IOptions<ListingsOptions> options, IHostEnvironment environment) =>
        {
            if (!ListingPhotos.IsValidName(name) || ListingPhotos.ContentType(name) is not { } type)
                return Results.NotFound();
            var path = Path.Combine(Path.GetFullPath(options.Value.PhotosFolder, environment.ContentRootPath), name);
            if (!File.Exists(path))
                return Results.NotFound();
            http.Response.Headers.XContentTypeOptions = "nosniff";
            // An SVG opened on its own must not run anything.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.File(path, type);
        });
        return app;
    }
}
