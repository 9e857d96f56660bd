using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Infrastructure;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Kiosk;

/// <summary>
/// Direct Line 3.0 as botframework-directlinejs and Web Chat use it (specs: shared/specs/PROTOCOL-NOTES.md part B):
/// start, post, poll with a watermark, the WebSocket stream and token refresh. A device key starts conversations;
/// everything else takes the conversation's own token.
/// </summary>
public static partial class DirectLineEndpoints
{
    public const string BasePath = "/v3/directline";

    public static void MapDirectLine(this IEndpointRouteBuilder endpoints)
    {
        var dl = endpoints.MapGroup(BasePath);
        dl.MapPost("/tokens/generate", GenerateTokenAsync);
        dl.MapPost("/tokens/refresh", RefreshTokenAsync);
        dl.MapPost("/conversations", StartAsync);
        dl.MapGet("/conversations/{id}", ReconnectAsync);
        dl.MapPost("/conversations/{id}/activities", PostActivityAsync);
        dl.MapGet("/conversations/{id}/activities", GetActivitiesAsync);
        dl.MapGet("/conversations/{id}/stream", StreamAsync);
        dl.MapPost("/conversations/{id}/upload", () => Error(StatusCodes.Status400BadRequest, "BadArgument", "Uploads are not supported at the kiosk."));
        dl.MapGet("/session/getsessionid", () => Error(StatusCodes.Status404NotFound, "NotFound", "Sign-in is not used at the kiosk."));
    }

    /// <summary>The page exchanges its device key for a new conversation and its token (Direct Line's "generate token").</summary>
    static async Task<IResult> GenerateTokenAsync(HttpContext http, KioskDevices devices, KioskConversations conversations, KioskTokens tokens, DeviceRateLimiter limiter, ILoggerFactory logs, CancellationToken ct)
    {
        if (devices.Authenticate(Bearer(http)) is not { } device)
            return Error(StatusCodes.Status401Unauthorized, "Unauthorized", "A kiosk device key is required.");
        if (!limiter.TryAcquire(device))
            return TooMany(http);
        var id = await conversations.CreateAsync(device, ct);
        LogCreated(Logger(logs), device);
        return Results.Ok(TokenBody(id, tokens.Issue(id, device), tokens));
    }

    static async Task<IResult> RefreshTokenAsync(HttpContext http, KioskConversations conversations, KioskTokens tokens, CancellationToken ct)
    {
        var (token, failure) = await AuthorizeAsync(http, null, conversations, tokens, ct);
        if (failure is not null)
            return failure;
        return Results.Ok(TokenBody(token!.ConversationId, tokens.Issue(token.ConversationId, token.Device), tokens));
    }

    /// <summary>
    /// POST /conversations with a conversation token starts that conversation (Web Chat given a token); with a device
    /// key it creates one first. The first start greets the visitor.
    /// </summary>
    static async Task<IResult> StartAsync(HttpContext http, KioskDevices devices, KioskConversations conversations, KioskTokens tokens,
        TurnDispatcher dispatcher, DeviceRateLimiter limiter, ILoggerFactory logs, CancellationToken ct)
    {
        string id, device;
        if (devices.Authenticate(Bearer(http)) is { } byKey)
        {
            if (!limiter.TryAcquire(byKey))
                return TooMany(http);
            device = byKey;
            id = await conversations.CreateAsync(device, ct);
            LogCreated(Logger(logs), device);
        }
        else
        {
            var (token, failure) = await AuthorizeAsync(http, null, conversations, tokens, ct);
            if (failure is not null)
                return failure;
            (id, device) = (token!.ConversationId, token.Device);
        }

        var first = await conversations.MarkStartedAsync(id, ct);
        if (first)
        {
            var greeting = Activity.Event("conversation.start") with { ChannelData = new Dictionary<string, string> { ["device"] = device } };
            await dispatcher.PostAsync(Address(id), greeting, ct);
        }
        var body = TokenBody(id, tokens.Issue(id, device), tokens);
        body["streamUrl"] = StreamUrl(http, id, body["token"]!.GetValue<string>());
        return first ? Results.Json(body, statusCode: StatusCodes.Status201Created) : Results.Ok(body);
    }

    static async Task<IResult> ReconnectAsync(string id, HttpContext http, KioskConversations conversations, KioskTokens tokens, CancellationToken ct)
    {
        var (token, failure) = await AuthorizeAsync(http, id, conversations, tokens, ct);
        if (failure is not null)
            return failure;
        var body = TokenBody(id, tokens.Issue(id, token!.Device), tokens);
        body["streamUrl"] = StreamUrl(http, id, body["token"]!.GetValue<string>());
        return Results.Ok(body);
    }

    static async Task<IResult> PostActivityAsync(string id, HttpContext http, KioskConversations conversations, KioskTokens tokens,
        TurnDispatcher dispatcher, DeviceRateLimiter limiter, IOptions<KioskOptions> options, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var (token, failure) = await AuthorizeAsync(http, id, conversations, tokens, ct);
        if (failure is not null)
            return failure;
        if (!limiter.TryAcquire(token!.Device))
        {
            LogRateLimited(Logger(logs), token.Device);
            return TooMany(http);
        }

        var (posted, problem) = await ReadActivityAsync(http.Request, options.Value.MaxActivityBytes, ct);
        if (problem is not null)
            return problem;
        var inbound = DirectLineMapper.ToEngine(posted!, token.Device);
        switch (inbound.Kind)
        {
            case InboundKind.Invalid:
                return Error(StatusCodes.Status400BadRequest, "BadArgument", inbound.Problem!);
            case InboundKind.Typing:
                // Typing indicators are not kept; Web Chat needs only an id back.
                return Results.Ok(new JsonObject { ["id"] = $"{id}|typing" });
            case InboundKind.End:
                await conversations.EndAsync(id, ct);
                LogEnded(Logger(logs), token.Device);
                return Results.Ok(new JsonObject { ["id"] = $"{id}|end" });
        }

        var ids = await conversations.AppendAsync(id, [DirectLineMapper.Echo(posted!, id, time.GetUtcNow())], ct);
        if (ids.Count == 0)
            return Error(StatusCodes.Status403Forbidden, "TokenRevoked", "This conversation has ended.");
        await dispatcher.PostAsync(Address(id), inbound.Activity! with { ChannelMessageId = ids[0] }, ct);
        return Results.Ok(new JsonObject { ["id"] = ids[0] });
    }

    static async Task<IResult> GetActivitiesAsync(string id, string? watermark, HttpContext http, KioskConversations conversations, KioskTokens tokens, CancellationToken ct)
    {
        // Polled several times a second per kiosk: the token is checked here and the conversation in the read itself.
        var (_, failure) = await AuthorizeAsync(http, id, conversations, tokens, ct, lookUp: false);
        if (failure is not null)
            return failure;
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

    /// <summary>The WebSocket stream: ActivitySet frames as activities arrive. The token travels in the URL because browsers cannot set headers on a WebSocket.</summary>
    static async Task StreamAsync(string id, string? t, string? watermark, HttpContext http, KioskConversations conversations, KioskTokens tokens, CancellationToken ct)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Error(StatusCodes.Status400BadRequest, "BadArgument", "This address takes a WebSocket.").ExecuteAsync(http);
            return;
        }
        var (_, failure) = await AuthorizeAsync(http, id, conversations, tokens, ct, t);
        if (failure is not null || !TryParseWatermark(watermark, out var after))
        {
            await (failure ?? Error(StatusCodes.Status400BadRequest, "BadArgument", "Bad watermark.")).ExecuteAsync(http);
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Direct Line clients send empty pings; read and ignore everything until the client closes.
        var reading = ReceiveUntilClosedAsync(socket, closed);
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var change = conversations.NextChange(id);
                var (activities, last) = await conversations.ReadAsync(id, after, closed.Token);
                if (activities.Count > 0)
                {
                    after = last;
                    // Not cancelled by the client's close: a cancelled send aborts the socket mid-handshake. The client's
                    // close drains what is in flight, and the loop ends after this send.
                    await socket.SendAsync(Encoding.UTF8.GetBytes(ActivitySet(activities, last)), WebSocketMessageType.Text, true, ct);
                    continue;
                }
                // Quiet for a second: look whether the conversation ended (possibly on another host).
                if (!await conversations.WaitAsync(change, TimeSpan.FromSeconds(1), closed.Token)
                    && await conversations.FindAsync(id, closed.Token) is not { EndedAt: null })
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        try
        {
            // Starts the closing handshake, or answers the client's.
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            await reading.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException)
        {
            socket.Abort();
        }
    }

    static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[1024];
        try
        {
            // No cancellation token here: cancelling a receive aborts the socket instead of closing it.
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                    break;
            }
        }
        catch (WebSocketException)
        {
        }
        await closed.CancelAsync();
    }

    static string ActivitySet(List<string> activities, int watermark)
    {
        var sb = new StringBuilder("{\"activities\":[");
        sb.AppendJoin(',', activities);
        sb.Append("],\"watermark\":\"").Append(watermark).Append("\"}");
        return sb.ToString();
    }

    static bool TryParseWatermark(string? watermark, out int after)
    {
        after = 0;
        return string.IsNullOrEmpty(watermark) || int.TryParse(watermark, System.Globalization.NumberStyles.None, null, out after);
    }

    /// <summary>Checks the bearer token (or the stream's URL token): signed by us, unexpired, for this conversation, and the conversation still open.</summary>
    public static async Task<(KioskToken? Token, IResult? Failure)> AuthorizeAsync(HttpContext http, string? conversationId,
        KioskConversations conversations, KioskTokens tokens, CancellationToken ct, string? urlToken = null, bool lookUp = true)
    {
        switch (tokens.Check(urlToken ?? Bearer(http), out var token))
        {
            case TokenCheck.Missing:
                return (null, Error(StatusCodes.Status401Unauthorized, "Unauthorized", "A conversation token is required."));
            case TokenCheck.Malformed:
                return (null, Error(StatusCodes.Status403Forbidden, "BadToken", "The token is not valid."));
            case TokenCheck.Expired:
                return (null, Error(StatusCodes.Status403Forbidden, "TokenExpired", "The token has expired."));
        }
        if (conversationId is not null && !string.Equals(conversationId, token!.ConversationId, StringComparison.Ordinal))
            return (null, Error(StatusCodes.Status403Forbidden, "BadToken", "The token is not valid for this conversation."));
        if (!lookUp)
            return (token, null);
        var conversation = await conversations.FindAsync(token!.ConversationId, ct);
        if (conversation is null)
            return (null, Error(StatusCodes.Status404NotFound, "NotFound", "Unknown conversation."));
        if (conversation.EndedAt is not null)
            return (null, Error(StatusCodes.Status403Forbidden, "TokenRevoked", "This conversation has ended."));
        return (token, null);
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

    static IResult TooMany(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "2";
        return Error(StatusCodes.Status429TooManyRequests, "TooManyRequests", "This kiosk is sending too fast. Please wait a moment and try again.");
    }

    public static IResult Error(int status, string code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, statusCode: status);

    static string? Bearer(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    static JsonObject TokenBody(string conversationId, string token, KioskTokens tokens) => new()
    {
        ["conversationId"] = conversationId,
        ["token"] = token,
        ["expires_in"] = (int)tokens.Lifetime.TotalSeconds,
    };

    static string StreamUrl(HttpContext http, string id, string token)
    {
        var scheme = http.Request.IsHttps ? "wss" : "ws";
        return $"{scheme}://{http.Request.Host}{BasePath}/conversations/{Uri.EscapeDataString(id)}/stream?t={Uri.EscapeDataString(token)}";
    }

    public static ConversationAddress Address(string conversationId) => new(KioskSender.ChannelName, conversationId);

    static ILogger Logger(ILoggerFactory logs) => logs.CreateLogger("FrontDesk.Bot.Kiosk.DirectLine");

    [LoggerMessage(Level = LogLevel.Information, Message = "Kiosk conversation created on device {Device}")]
    static partial void LogCreated(ILogger logger, string device);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kiosk conversation ended on device {Device}")]
    static partial void LogEnded(ILogger logger, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kiosk device {Device} is posting too fast; request refused")]
    static partial void LogRateLimited(ILogger logger, string device);
}

/// <summary>A token bucket per device: a stuck key or a script on the page cannot flood the engine.</summary>
public sealed class DeviceRateLimiter(IOptions<KioskOptions> options) : IDisposable
{
    readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(device =>
        RateLimitPartition.GetTokenBucketLimiter(device, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.PostBurst,
            TokensPerPeriod = Math.Max(1, (int)Math.Ceiling(options.Value.PostsPerMinute / 60.0)),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public bool TryAcquire(string device)
    {
        using var lease = limiter.AttemptAcquire(device);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
