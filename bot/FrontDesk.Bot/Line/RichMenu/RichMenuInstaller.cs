using System.Text.Json.Nodes;

namespace FrontDesk.Bot.Line.RichMenu;

/// <summary>
/// Installs the rich menu kept in this folder (rich-menu.json, rich-menu.png; make-image.sh redraws the image):
/// creates it, uploads the image and makes it the default for every user. Each area sends a postback command the
/// router understands (topic, contact, menu).
/// </summary>
public sealed class RichMenuInstaller(LineMessagingClient client)
{
    public static JsonObject Definition() => (JsonObject)JsonNode.Parse(Resource("rich-menu.json"))!;

    public static byte[] Image() => Resource("rich-menu.png");

    public async Task<string> InstallAsync(CancellationToken ct)
    {
        var id = await client.CreateRichMenuAsync(Definition(), ct);
        await client.UploadRichMenuImageAsync(id, Image(), "image/png", ct);
        await client.SetDefaultRichMenuAsync(id, ct);
        return id;
    }

    static byte[] Resource(string name)
    {
        var assembly = typeof(RichMenuInstaller).Assembly;
        using var stream = assembly.GetManifestResourceStream($"FrontDesk.Bot.Line.RichMenu.{name}")
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
