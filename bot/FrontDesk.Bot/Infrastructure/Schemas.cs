using FrontDesk.Jobs;
using FrontDesk.Knowledge.Database;
using FrontDesk.Knowledge.Documents;
using FrontDesk.Knowledge.Listings;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FrontDesk.Bot.Infrastructure;

/// <summary>Every module's schema in installation order: what the web host, the commands and the test template migrate.</summary>
public static class Schemas
{
    public static readonly IReadOnlyList<SchemaInstaller> All =
    [
        JobsExtensions.HangfireSchemaInstaller,
        Embedded("kb", typeof(DocumentStore), "FrontDesk.Knowledge.Documents.Migrations"),
        Embedded("listings", typeof(ListingImporter), "FrontDesk.Knowledge.Listings.Migrations"),
        Embedded("conversation", typeof(Schemas), "FrontDesk.Bot.Conversations.Migrations"),
        Embedded("registration", typeof(Schemas), "FrontDesk.Bot.Registration.Migrations"),
        // After conversation: its trigger watches conversation.conversations.
        Embedded("handoff", typeof(Schemas), "FrontDesk.Bot.Handoff.Migrations"),
        Embedded("line", typeof(Schemas), "FrontDesk.Bot.Line.Migrations"),
        Embedded("staff", typeof(Schemas), "FrontDesk.Bot.Staff.Migrations"),
        Embedded("kiosk", typeof(Schemas), "FrontDesk.Bot.Kiosk.Migrations"),
    ];

    /// <summary>
    /// Makes the migration runner install <see cref="All"/>, and only that (modules of the knowledge library register
    /// their own schema for the standalone worker; here they are in the list). Call after AddDatabase.
    /// </summary>
    public static IHostApplicationBuilder AddAllSchemas(this IHostApplicationBuilder builder)
    {
        if (!builder.Services.Any(d => d.ServiceType == typeof(MigrationRunner)))
            throw new InvalidOperationException("Call AddDatabase before AddAllSchemas.");
        builder.Services.Replace(ServiceDescriptor.Singleton(sp =>
            new MigrationRunner(sp.GetRequiredService<NpgsqlDataSource>(), All, sp.GetRequiredService<ILogger<MigrationRunner>>())));
        return builder;
    }

    static SchemaInstaller Embedded(string module, Type owner, string resourcePrefix) =>
        SchemaInstaller.FromEmbeddedSql(module, owner.Assembly, resourcePrefix);
}
