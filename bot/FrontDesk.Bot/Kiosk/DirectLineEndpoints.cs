using FrontDesk.Bot.Handoff;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Infrastructure;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Kiosk;

/// <summary>
/// Direct Line 3.0 as botframework-directlinejs and Web Chat use it (specs: shared/specs/PROTOCOL-NOTES.md part B):
/// start, post, poll with a watermark, the WebSocket stream (<see cref="DirectLineStream"/>) and token refresh.
/// A device key starts conversations; everything else takes the conversation's own token (<see cref="DirectLineAuthorization"/>).
/// </summary>
public static partial class DirectLineEndpoints
{
    public const string BasePath = "/v3/directline";

    public static void MapDirectLine(this IEndpointRouteBuilder endpoints)
    {
        var dl = endpoints.MapGroup(BasePath).AddEndpointFilter<DirectLineAuthorization>();
        dl.MapPost("/tokens/generate", GenerateTokenAsync).WithMetadata(new DirectLineAccess(DirectLineCredential.DeviceKey))
            .RequireRateLimiting(DeviceRateLimit.Name);
        dl.MapPost("/tokens/refresh", RefreshToken);
        dl.MapPost("/conversations", StartAsync).WithMetadata(new DirectLineAccess(DirectLineCredential.DeviceKeyOrConversationToken))
            .RequireRateLimiting(DeviceRateLimit.Name);
        dl.MapGet("/conversations/{id}", Reconnect);
        dl.MapPost("/conversations/{id}/activities", PostActivityAsync).RequireRateLimiting(DeviceRateLimit.Name);
        // Polled several times a second per kiosk: the token is checked by the filter and the conversation in the read itself.
        dl.MapGet("/conversations/{id}/activities", GetActivitiesAsync)
            .WithMetadata(new DirectLineAccess(DirectLineCredential.ConversationToken, LooksUpConversation: false));
        dl.MapGet("/conversations/{id}/stream", DirectLineStream.StreamAsync)
            .WithMetadata(new DirectLineAccess(DirectLineCredential.ConversationToken, TokenQueryName: "t"));
        var open = new DirectLineAccess(DirectLineCredential.None);
        dl.MapPost("/conversations/{id}/upload", () => Error(StatusCodes.Status400BadRequest, "BadArgument", "Uploads are not supported at the kiosk."))
            .WithMetadata(open);
        dl.MapGet("/session/getsessionid", () => Error(StatusCodes.Status404NotFound, "NotFound", "Sign-in is not used at the kiosk."))
            .WithMetadata(open);
    }

    /// <summary>What the handlers share; the caller is the one the filter let in.</summary>
    public readonly record struct DirectLineRequest(HttpContext Http, KioskConversations Conversations, KioskTokens Tokens, ILoggerFactory Logs)
    {
        public DirectLineCaller Caller => DirectLineAuthorization.Caller(Http);
        public ILogger Logger => Logs.CreateLogger("FrontDesk.Bot.Kiosk.DirectLine");

        public JsonObject TokenBody(string conversationId, string device, bool withStreamUrl = false)
        {
            var token = Tokens.Issue(conversationId, device);
            var body = new JsonObject
            {
                ["conversationId"] = conversationId,
                ["token"] = token,
                ["expires_in"] = (int)Tokens.Lifetime.TotalSeconds,
            };
            if (withStreamUrl)
            {
                var scheme = Http.Request.IsHttps ? "wss" : "ws";
                body["streamUrl"] = $"{scheme}://{Http.Request.Host}{BasePath}/conversations/{Uri.EscapeDataString(conversationId)}/stream?t={Uri.EscapeDataString(token)}";
            }
            return body;
        }
    }

    /// <summary>The page exchanges its device key for a new conversation and its token (Direct Line's "generate token").</summary>
    static async Task<IResult> GenerateTokenAsync([AsParameters] DirectLineRequest request, CancellationToken ct)
    {
        var device = request.Caller.Device;
        var id = await request.Conversations.CreateAsync(device, ct);
        LogCreated(request.Logger, device);
        return Results.Ok(request.TokenBody(id, device));
    }

    static IResult RefreshToken([AsParameters] DirectLineRequest request) =>
        Results.Ok(request.TokenBody(request.Caller.ConversationId!, request.Caller.Device));

    /// <summary>
    /// POST /conversations with a conversation token starts that conversation (Web Chat given a token); with a device
    /// key it creates one first. The first start greets the visitor.
    /// </summary>
    static async Task<IResult> StartAsync([AsParameters] DirectLineRequest request, TurnDispatcher dispatcher, CancellationToken ct)
    {
        var (device, id) = request.Caller;
        if (id is null)
        {
            id = await request.Conversations.CreateAsync(device, ct);
            LogCreated(request.Logger, device);
        }

        var first = await request.Conversations.MarkStartedAsync(id, ct);
        if (first)
        {
            var greeting = Activity.Event("conversation.start") with { ChannelData = new Dictionary<string, string> { ["device"] = device } };
            await dispatcher.PostAsync(Address(id), greeting, ct);
        }
        var body = request.TokenBody(id, device, withStreamUrl: true);
        return first ? Results.Json(body, statusCode: StatusCodes.Status201Created) : Results.Ok(body);
    }

    static IResult Reconnect(string id, [AsParameters] DirectLineRequest request) =>
        Results.Ok(request.TokenBody(id, request.Caller.Device, withStreamUrl: true));

    static async Task<IResult> PostActivityAsync(string id, [AsParameters] DirectLineRequest request, TurnDispatcher dispatcher,
        IOptions<KioskOptions> options, TimeProvider time, CancellationToken ct)
    {
        var device = request.Caller.Device;
        var (posted, problem) = await ReadActivityAsync(request.Http.Request, options.Value.MaxActivityBytes, ct);
        if (problem is not null)
            return problem;
        var inbound = DirectLineMapper.ToEngine(posted!, device);
        switch (inbound.Kind)
        {
            case InboundKind.Invalid:
                return Error(StatusCodes.Status400BadRequest, "BadArgument", inbound.Problem!);
            case InboundKind.Typing:
                // Typing indicators are not kept; Web Chat needs only an id back.
                return Results.Ok(new JsonObject { ["id"] = $"{id}|typing" });
            case InboundKind.End:
                if (await request.Conversations.EndAsync(id, ct))
                    // A handoff in progress ends with the visitor (the console says so and takes no reply).
                    await dispatcher.PostAsync(Address(id), Activity.Event(HandoffEvents.VisitorLeft) with { Text = HandoffEvents.VisitorLeftText }, ct);
                LogEnded(request.Logger, device);
                return Results.Ok(new JsonObject { ["id"] = $"{id}|end" });
        }

        var ids = await request.Conversations.AppendAsync(id, [DirectLineMapper.Echo(posted!, id, time.GetUtcNow())], ct);
        if (ids.Count == 0)
            return Error(StatusCodes.Status403Forbidden, "TokenRevoked", "This conversation has ended.");
        await dispatcher.PostAsync(Address(id), inbound.Activity! with { ChannelMessageId = ids[0] }, ct);
        return Results.Ok(new JsonObject { ["id"] = ids[0] });
    }

    static async Task<IResult> GetActivitiesAsync(string id, string? watermark, KioskConversations conversations, CancellationToken ct)
    {
        if (!TryParseWatermark(watermark, out var after))
            return Error(StatusCodes.Status400BadRequest, "BadArgument", "The watermark is not one this server issued.");
        var (state, activities, last) = await conversations.PollAsync(id, after, ct);
        return state switch
        {
            KioskConversations.LogState.Missing => Error(StatusCodes.Status404NotFound, "NotFound", "Unknown conversation."),
            KioskConversations.LogState.Ended => Error(StatusCodes.Status403Forbidden, "TokenRevoked", "This conversation has ended."),
            _ => Results.Text(ActivitySet(activities, last), "application/json; charset=utf-8"),
        };
    }

    public static string ActivitySet(List<string> activities, int watermark)
    {
        var sb = new StringBuilder("{\"activities\":[");
        sb.AppendJoin(',', activities);
        sb.Append("],\"watermark\":\"").Append(watermark).Append("\"}");
        return sb.ToString();
    }

    public static bool TryParseWatermark(string? watermark, out int after)
    {
        after = 0;
        return string.IsNullOrEmpty(watermark) || int.TryParse(watermark, System.Globalization.NumberStyles.None, null, out after);
    }

    static async Task<(JsonObject? Activity, IResult? Problem)> ReadActivityAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
            return (null, TooLarge(maxBytes));
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                return (null, TooLarge(maxBytes));
            buffer.Write(chunk, 0, read);
        }
        try
        {
            // Invalid UTF-8 or a lone surrogate escape becomes U+FFFD (reading it would throw); NUL goes (jsonb refuses it).
            if (JsonNode.Parse(JsonRepair.Repair(buffer.ToArray(), dropNul: true), documentOptions: new JsonDocumentOptions { MaxDepth = 32 }) is JsonObject activity)
                return (activity, null);
        }
        catch (JsonException)
        {
        }
        return (null, Error(StatusCodes.Status400BadRequest, "BadArgument", "The body must be one activity as a JSON object."));
    }

    static IResult TooLarge(int maxBytes) =>
        Error(StatusCodes.Status413PayloadTooLarge, "MessageSizeTooBig", $"Activities are limited to {maxBytes} bytes.");

    public static IResult Error(int status, string code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, statusCode: status);

    public static ConversationAddress Address(string conversationId) => new(KioskSender.ChannelName, conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kiosk conversation created on device {Device}")]
    static partial void LogCreated(ILogger logger, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kiosk conversation ended on device {Device}")]
    static partial void LogEnded(ILogger logger, string device);
}
