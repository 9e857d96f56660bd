using System.Buffers;
using System.Text.Json;
using FrontDesk.Bot.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Line;

/// <summary>
/// POST /line/webhook. Checks size, content type and the x-line-signature over the raw bytes before parsing, records
/// every event durably (deduplicated on webhookEventId) and answers 200; the engine processes the events afterwards,
/// so the answer comes well within LINE's 2-second limit whatever the conversation does.
/// </summary>
public sealed partial class LineWebhook(IOptions<LineOptions> options, LineEventMapper mapper, LineInbox inbox, ILogger<LineWebhook> logger)
{
    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled)
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The LINE channel is not configured",
                detail: "Set Line__ChannelSecret and Line__ChannelAccessToken to enable it.");

        var request = http.Request;
        if (request.ContentLength > o.MaxWebhookBytes)
            return TooLarge(o);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = o.MaxWebhookBytes + 1;
        if (!IsJson(request.ContentType))
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The webhook body must be application/json");

        var body = await ReadBodyAsync(request, o.MaxWebhookBytes, ct);
        if (body is null)
            return TooLarge(o);

        if (!LineSignature.Verify(o.ChannelSecret, body, request.Headers["x-line-signature"].ToString()))
        {
            LogBadSignature(request.Headers.ContainsKey("x-line-signature"));
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or invalid x-line-signature");
        }

        List<LineEvent> events;
        try
        {
            // The signature covered the bytes as sent; broken strings in them become U+FFFD instead of failing the body.
            using var json = JsonDocument.Parse(JsonRepair.Repair(body), new JsonDocumentOptions { MaxDepth = 64 });
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("events", out var list) || list.ValueKind != JsonValueKind.Array)
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The webhook body must be an object with an 'events' array");
            events = [];
            foreach (var e in list.EnumerateArray())
                if (mapper.Map(e) is { } mapped)
                    events.Add(mapped);
        }
        catch (JsonException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The webhook body is not valid JSON");
        }

        // An empty list is LINE's connectivity check: 200 as for any other webhook.
        if (events.Count > 0)
            await inbox.RecordAsync(events, ct);
        return Results.Ok();
    }

    static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            && (contentType.Length == 16 || contentType[16] is ';' or ' '));

    static IResult TooLarge(LineOptions o) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"The webhook body is larger than {o.MaxWebhookBytes:N0} bytes");

    /// <summary>The raw bytes (the signature covers exactly these), or null when there are more than <paramref name="max"/>.</summary>
    static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int max, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var n && n <= max ? (int)n : 4096);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(4096);
                var read = await request.Body.ReadAsync(memory, ct);
                if (read == 0)
                    return buffer.WrittenSpan.ToArray();
                buffer.Advance(read);
                if (buffer.WrittenCount > max)
                    return null;
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LINE webhook rejected: signature {State}")]
    partial void LogBadSignatureCore(string state);

    void LogBadSignature(bool present) => LogBadSignatureCore(present ? "invalid" : "missing");
}
