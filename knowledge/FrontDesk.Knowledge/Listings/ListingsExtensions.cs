using FrontDesk.Knowledge.Database;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FrontDesk.Knowledge.Listings;

public static class ListingsExtensions
{
    /// <summary>The listings schema, the importer, the search and the request parser.</summary>
    public static IHostApplicationBuilder AddListings(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ListingsOptions>()
            .BindConfiguration(ListingsOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Feeds.All(f => f.Problem() is null), "Each listing feed needs a Name and exactly one of Path or an http(s) Url.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSchema("listings", typeof(ListingImporter).Assembly, "FrontDesk.Knowledge.Listings.Migrations");
        services.AddSingleton<ListingImporter>();
        services.AddSingleton<ListingSearch>();
        var contentRoot = builder.Environment.ContentRootPath;
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ListingsOptions>>().Value.PlacesPath is { Length: > 0 } path
            ? PlaceGazetteer.Load(Path.GetFullPath(path, contentRoot))
            : PlaceGazetteer.BuiltIn());
        services.AddSingleton<FilterParser>();
        return builder;
    }
}
