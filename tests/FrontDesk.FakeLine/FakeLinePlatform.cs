using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FrontDesk.FakeLine;

/// <summary>One request the bot made to the fake Messaging API, with what the fake answered.</summary>
public sealed record ApiCall(
    long Sequence,
    DateTimeOffset At,
    string Method,
    string Path,
    JsonNode? Body,
    string? RetryKey,
    int Status,
    IReadOnlyList<SchemaError> Errors,
    string? User,
    string? ReplyToken,
    string? ContentType = null,
    int ContentLength = 0,
    FakeOutcome? Fault = null)
{
    public JsonArray Messages => Body?["messages"] as JsonArray ?? [];
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>How the fake answers a push or reply, to script failures. A call that got no answer is recorded with status 0.</summary>
public enum FakeOutcome
{
    TooManyRequests,
    ServerError,
    /// <summary>The message is delivered, but the answer is a 500: a retry with the same key then gets 409, a reply token is used.</summary>
    DeliveredThenServerError,
    /// <summary>No answer until the client gives up (its timeout); nothing is executed.</summary>
    Hang,
    /// <summary>The connection is dropped without an answer ("response ended prematurely"); nothing is executed.</summary>
    Reset,
    /// <summary>The message is delivered, then no answer until the client gives up.</summary>
    DeliveredThenHang,
    /// <summary>The message is delivered, then answered with 200 after <see cref="FakeLinePlatform.SlowFor"/>.</summary>
    DeliveredSlowly,
    /// <summary>The message is delivered, then the connection is dropped.</summary>
    DeliveredThenReset,
}

/// <summary>Fault plans for <see cref="FakeLinePlatform.Faults"/>: which outcome, if any, a reply or push call gets.</summary>
public static class FakeFaults
{
    /// <summary>A share of the calls, at random but repeatably for a seed.</summary>
    public static Func<FakeCall, FakeOutcome?> Share(double share, FakeOutcome outcome, int seed = 7)
    {
        var random = new Random(seed);
        return _ =>
        {
            lock (random)
                return random.NextDouble() < share ? outcome : null;
        };
    }

    /// <summary>
    /// The n-th call of this kind with one reply token (reply) or retry key (push) gets the n-th outcome (null: answered
    /// normally); later calls, and calls of the other kind, none.
    /// </summary>
    public static Func<FakeCall, FakeOutcome?> PerAttempt(FakeCallKind kind, params FakeOutcome?[] outcomes)
    {
        var seen = new ConcurrentDictionary<string, int>();
        return call =>
        {
            if (call.Kind != kind)
                return null;
            var n = seen.AddOrUpdate(call.ReplyToken ?? call.RetryKey ?? "", 1, (_, c) => c + 1);
            return n <= outcomes.Length ? outcomes[n - 1] : null;
        };
    }
}

public enum FakeCallKind { Reply, Push }

/// <summary>What a fault plan sees of a call.</summary>
public sealed record FakeCall(FakeCallKind Kind, string? User, string? ReplyToken, string? RetryKey);

public sealed class FakeLineSettings
{
    public string Urls { get; set; } = "http://127.0.0.1:0";
    public string ChannelSecret { get; set; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
    public string ChannelAccessToken { get; set; } = "fake-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
    public Uri? WebhookUrl { get; set; }
    public TimeProvider Time { get; set; } = TimeProvider.System;
    public bool ChatPage { get; set; }
    /// <summary>Schema validation of request bodies; benchmarks turn it off to keep its CPU out of the bot's figures.</summary>
    public bool ValidateRequests { get; set; } = true;
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;
}

/// <summary>
/// A fake LINE platform on loopback: it signs and posts webhooks to FrontDesk and answers the Messaging API calls
/// like LINE does (reply tokens that expire and are single-use, retry keys, 429/500 on demand), validating every
/// request body against the official OpenAPI file and recording every call.
/// </summary>
public sealed class FakeLinePlatform : IAsyncDisposable
{
    static readonly Lazy<OpenApiDocument> MessagingApiDocument = new(() => OpenApiDocument.Load(OpenApiDocument.FindSpec("messaging-api.yml")));
    static readonly Lazy<OpenApiDocument> WebhookDocument = new(() => OpenApiDocument.Load(OpenApiDocument.FindSpec("webhook.yml")));
    static readonly JsonSerializerOptions WebhookJson = new() { WriteIndented = false };

    readonly WebApplication app;
    readonly HttpClient webhookClient = new() { Timeout = TimeSpan.FromSeconds(30) };
    readonly FakeLineSettings settings;
    readonly List<ApiCall> calls = [];
    readonly ConcurrentDictionary<string, IssuedToken> replyTokens = new();
    readonly ConcurrentDictionary<string, string> acceptedRetryKeys = new();
    readonly ConcurrentQueue<FakeOutcome> pushOutcomes = new();
    readonly ConcurrentQueue<FakeOutcome> replyOutcomes = new();
    readonly ConcurrentDictionary<string, JsonObject> richMenus = new();
    readonly ConcurrentDictionary<string, List<ChatLine>> chats = new();
    long sequence;
    long sentMessageIds = 500_000_000_000_000;

    FakeLinePlatform(WebApplication app, FakeLineSettings settings)
    {
        this.app = app;
        this.settings = settings;
        WebhookUrl = settings.WebhookUrl;
        Events = new LineEvents(this);
    }

    public static OpenApiDocument MessagingApi => MessagingApiDocument.Value;
    public static OpenApiDocument Webhook => WebhookDocument.Value;

    public Uri BaseUrl { get; private set; } = null!;
    public Uri? WebhookUrl { get; set; }
    public string ChannelSecret => settings.ChannelSecret;
    public string ChannelAccessToken => settings.ChannelAccessToken;
    /// <summary>The bot's own user id, sent as the webhook's destination.</summary>
    public string Destination { get; } = "U" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
    public TimeProvider Time => settings.Time;
    public TimeSpan ReplyTokenLifetime { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Faults for reply and push calls that no <see cref="NextReplies"/> / <see cref="NextPushes"/> entry scripts; null = none.</summary>
    public Func<FakeCall, FakeOutcome?>? Faults { get; set; }
    /// <summary>How long a hanging call waits at most when the client does not give up first.</summary>
    public TimeSpan HangFor { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>How long a <see cref="FakeOutcome.DeliveredSlowly"/> call takes to answer.</summary>
    public TimeSpan SlowFor { get; set; } = TimeSpan.FromSeconds(1);
    public LineEvents Events { get; }
    /// <summary>Raised for every call as it is recorded (benchmarks take their timestamps here).</summary>
    public event Action<ApiCall>? CallRecorded;

    /// <summary>The id of the rich menu set as default, if any.</summary>
    public string? DefaultRichMenuId { get; private set; }

    /// <summary>Settings that point FrontDesk at this fake (Line:ChannelSecret, Line:ApiBaseUrl, ...).</summary>
    public IDictionary<string, string?> BotSettings => new Dictionary<string, string?>
    {
        ["Line:ChannelSecret"] = ChannelSecret,
        ["Line:ChannelAccessToken"] = ChannelAccessToken,
        ["Line:ApiBaseUrl"] = BaseUrl.ToString().TrimEnd('/'),
        ["Line:DataApiBaseUrl"] = BaseUrl.ToString().TrimEnd('/'),
    };

    public static async Task<FakeLinePlatform> StartAsync(FakeLineSettings? settings = null)
    {
        settings ??= new FakeLineSettings();
        _ = MessagingApi; // load the spec before the first request, not during it
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(settings.Urls);
        builder.Logging.SetMinimumLevel(settings.MinimumLogLevel);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 10 * 1024 * 1024);
        var app = builder.Build();
        var platform = new FakeLinePlatform(app, settings);
        app.Run(ctx => settings.ChatPage && ChatPage.Handles(ctx) ? ChatPage.HandleAsync(ctx, platform) : platform.HandleApiAsync(ctx));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        platform.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1") + "/");
        return platform;
    }

    // --- what the tests see -------------------------------------------------------------------------------

    public IReadOnlyList<ApiCall> Calls
    {
        get { lock (calls) return calls.ToList(); }
    }

    public IReadOnlyList<ApiCall> Replies => Calls.Where(c => c.Path == "/v2/bot/message/reply").ToList();
    public IReadOnlyList<ApiCall> Pushes => Calls.Where(c => c.Path == "/v2/bot/message/push").ToList();
    public IReadOnlyList<ApiCall> InvalidCalls => Calls.Where(c => c.Errors.Count > 0).ToList();

    /// <summary>Messages delivered to the user (by reply or push), in delivery order.</summary>
    public IReadOnlyList<JsonObject> DeliveredTo(string userId) =>
        chats.TryGetValue(userId, out var lines) ? Locked(lines, l => l.Where(x => x.FromBot).Select(x => x.Message).ToList()) : [];

    /// <summary>The text a user would read: text messages, and the texts and button labels of Flex messages.</summary>
    public IReadOnlyList<string> TextsTo(string userId) => DeliveredTo(userId).Select(ReadableText).ToList();

    public void ClearCalls()
    {
        lock (calls)
            calls.Clear();
    }

    public void NextPushes(params FakeOutcome[] outcomes)
    {
        foreach (var o in outcomes)
            pushOutcomes.Enqueue(o);
    }

    public void NextReplies(params FakeOutcome[] outcomes)
    {
        foreach (var o in outcomes)
            replyOutcomes.Enqueue(o);
    }

    public void ExpireReplyTokens()
    {
        foreach (var (token, issued) in replyTokens)
            replyTokens.TryUpdate(token, issued with { IssuedAt = DateTimeOffset.MinValue }, issued);
    }

    public string IssueReplyToken(string userId)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        replyTokens[token] = new IssuedToken(userId, Time.GetUtcNow(), Used: false);
        return token;
    }

    // --- webhooks -----------------------------------------------------------------------------------------

    public string Sign(ReadOnlySpan<byte> body) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ChannelSecret), body));

    public byte[] WebhookBody(params JsonObject[] events) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["destination"] = Destination,
        ["events"] = new JsonArray(events.Select(e => (JsonNode)e.DeepClone()).ToArray()),
    }, WebhookJson);

    /// <summary>Posts the events to FrontDesk as LINE does: one signed request, answered within 2 seconds or counted as failed.</summary>
    public Task<HttpResponseMessage> SendWebhookAsync(params JsonObject[] events)
    {
        var body = WebhookBody(events);
        return PostWebhookAsync(body, Sign(body));
    }

    public async Task<HttpResponseMessage> PostWebhookAsync(byte[] body, string? signature, string contentType = "application/json; charset=utf-8", CancellationToken ct = default)
    {
        var target = WebhookUrl ?? throw new InvalidOperationException("WebhookUrl is not set");
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (signature is not null)
            request.Headers.TryAddWithoutValidation("x-line-signature", signature);
        request.Headers.UserAgent.ParseAdd("LineBotWebhook/2.0");
        return await webhookClient.SendAsync(request, ct);
    }

    // --- the Messaging API ---------------------------------------------------------------------------------

    async Task HandleApiAsync(HttpContext ctx)
    {
        var method = ctx.Request.Method;
        var path = ctx.Request.Path.Value ?? "/";
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        var bytes = buffer.ToArray();
        var retryKey = ctx.Request.Headers["X-Line-Retry-Key"].FirstOrDefault();
        var contentType = ctx.Request.ContentType;

        if (ctx.Request.Headers.Authorization.ToString() != "Bearer " + ChannelAccessToken)
        {
            await AnswerAsync(ctx, Record(method, path, null, retryKey, 401, [], null, null), 401,
                new JsonObject { ["message"] = "Authentication failed. Confirm that the access token in the authorization header is valid." });
            return;
        }
        if (!MessagingApi.HasOperation(method, path))
        {
            await AnswerAsync(ctx, Record(method, path, null, retryKey, 404, [], null, null), 404, new JsonObject { ["message"] = "Not found" });
            return;
        }

        if (path.StartsWith("/v2/bot/richmenu/", StringComparison.Ordinal) && path.EndsWith("/content", StringComparison.Ordinal) && method == "POST")
        {
            await UploadRichMenuImageAsync(ctx, path, bytes, contentType);
            return;
        }

        JsonNode? body = null;
        var errors = new List<SchemaError>();
        var schemaRef = MessagingApi.RequestSchemaRef(method, path);
        if (schemaRef is not null)
        {
            if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
                errors.Add(new("(body)", $"Content-Type must be application/json, was '{contentType}'"));
            try
            {
                body = JsonNode.Parse(bytes);
                if (settings.ValidateRequests)
                    errors.AddRange(MessagingApi.ValidateRef(schemaRef, body));
            }
            catch (JsonException e)
            {
                errors.Add(new("(body)", "The request body is not valid JSON: " + e.Message));
            }
        }
        if (retryKey is not null && path != "/v2/bot/message/push")
            errors.Add(new("X-Line-Retry-Key", "The retry key is only supported on push, multicast, narrowcast and broadcast"));
        if (retryKey is not null && !Guid.TryParse(retryKey, out _))
            errors.Add(new("X-Line-Retry-Key", "must be a UUID"));
        if (errors.Count > 0)
        {
            await AnswerAsync(ctx, Record(method, path, body, retryKey, 400, errors, null, null), 400, ErrorBody("The request body has " + errors.Count + " error(s)", errors));
            return;
        }

        switch (method, path)
        {
            case ("POST", "/v2/bot/message/reply"):
                await ReplyAsync(ctx, (JsonObject)body!);
                break;
            case ("POST", "/v2/bot/message/push"):
                await PushAsync(ctx, (JsonObject)body!, retryKey);
                break;
            case ("POST", "/v2/bot/chat/loading/start"):
                var seconds = body!["loadingSeconds"]?.GetValue<int>() ?? 20;
                var loadingErrors = seconds % 5 == 0 ? [] : new List<SchemaError> { new("loadingSeconds", "must be a multiple of 5") };
                var status = loadingErrors.Count == 0 ? 202 : 400;
                await AnswerAsync(ctx, Record(method, path, body, null, status, loadingErrors, body["chatId"]?.GetValue<string>(), null), status,
                    status == 202 ? new JsonObject() : ErrorBody("Invalid loadingSeconds", loadingErrors));
                break;
            case ("POST", "/v2/bot/richmenu"):
                var id = "richmenu-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
                richMenus[id] = (JsonObject)body!;
                await AnswerAsync(ctx, Record(method, path, body, null, 200, [], null, null), 200, new JsonObject { ["richMenuId"] = id });
                break;
            case ("POST", _) when path.StartsWith("/v2/bot/user/all/richmenu/", StringComparison.Ordinal):
                var menuId = path["/v2/bot/user/all/richmenu/".Length..];
                var known = richMenus.ContainsKey(menuId);
                if (known)
                    DefaultRichMenuId = menuId;
                await AnswerAsync(ctx, Record(method, path, null, null, known ? 200 : 400, [], null, null), known ? 200 : 400,
                    known ? new JsonObject() : new JsonObject { ["message"] = "richmenu not found" });
                break;
            case ("GET", _) when path.StartsWith("/v2/bot/profile/", StringComparison.Ordinal):
                var userId = path["/v2/bot/profile/".Length..];
                await AnswerAsync(ctx, Record(method, path, null, null, 200, [], userId, null), 200,
                    new JsonObject { ["userId"] = userId, ["displayName"] = "テスト利用者", ["language"] = "ja" });
                break;
            default:
                await AnswerAsync(ctx, Record(method, path, body, retryKey, 200, [], null, null), 200, new JsonObject());
                break;
        }
    }

    FakeOutcome? NextFault(ConcurrentQueue<FakeOutcome> scripted, FakeCall call) =>
        scripted.TryDequeue(out var next) ? next : Faults?.Invoke(call);

    /// <summary>The faults that leave the call unexecuted: an error answer, a hang or a dropped connection. False for the others.</summary>
    async Task<bool> FailBeforeAsync(HttpContext ctx, FakeOutcome? fault, string path, JsonObject body, string? retryKey, string? user, string? token)
    {
        switch (fault)
        {
            case FakeOutcome.TooManyRequests or FakeOutcome.ServerError:
                var code = fault == FakeOutcome.TooManyRequests ? 429 : 500;
                await AnswerAsync(ctx, Record("POST", path, body, retryKey, code, [], user, token, fault: fault), code,
                    new JsonObject { ["message"] = code == 429 ? "Too Many Requests" : "Internal Server Error" });
                return true;
            case FakeOutcome.Hang or FakeOutcome.Reset:
                Record("POST", path, body, retryKey, 0, [], user, token, fault: fault);
                await NoAnswerAsync(ctx, fault.Value);
                return true;
            default:
                return false;
        }
    }

    /// <summary>After the call was executed: the answer the fault stands for. False when the call gets its normal answer.</summary>
    async Task<bool> FailAfterAsync(HttpContext ctx, FakeOutcome? fault)
    {
        switch (fault)
        {
            case FakeOutcome.DeliveredThenServerError:
                ctx.Response.StatusCode = 500;
                await ctx.Response.WriteAsJsonAsync(new JsonObject { ["message"] = "Internal Server Error" });
                return true;
            case FakeOutcome.DeliveredThenHang:
                await NoAnswerAsync(ctx, FakeOutcome.Hang);
                return true;
            case FakeOutcome.DeliveredThenReset:
                await NoAnswerAsync(ctx, FakeOutcome.Reset);
                return true;
            case FakeOutcome.DeliveredSlowly:
                await Task.Delay(SlowFor, Time, ctx.RequestAborted);
                return false;
            default:
                return false;
        }
    }

    async Task NoAnswerAsync(HttpContext ctx, FakeOutcome fault)
    {
        if (fault == FakeOutcome.Reset)
        {
            ctx.Abort();
            return;
        }
        try
        {
            await Task.Delay(HangFor, Time, ctx.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as it should.
            return;
        }
        ctx.Abort();
    }

    async Task ReplyAsync(HttpContext ctx, JsonObject body)
    {
        const string path = "/v2/bot/message/reply";
        var token = body["replyToken"]!.GetValue<string>();
        replyTokens.TryGetValue(token, out var known);
        var fault = NextFault(replyOutcomes, new FakeCall(FakeCallKind.Reply, known?.UserId, token, null));
        if (await FailBeforeAsync(ctx, fault, path, body, null, known?.UserId, token))
            return;
        // Single use and valid for about a minute (LINE: "use it within one minute"); a used one gets 400 as LINE answers.
        var valid = replyTokens.TryGetValue(token, out var issued) && !issued.Used && Time.GetUtcNow() - issued.IssuedAt <= ReplyTokenLifetime
            && replyTokens.TryUpdate(token, issued with { Used = true }, issued);
        if (!valid)
        {
            await AnswerAsync(ctx, Record("POST", path, body, null, 400, [], issued?.UserId, token), 400, new JsonObject { ["message"] = "Invalid reply token" });
            return;
        }
        // Recorded before delivery, so a test that sees the messages also sees the call.
        var call = Record("POST", path, body, null, fault is null ? 200 : FaultStatus(fault.Value), [], issued!.UserId, token, fault: fault);
        var sent = Deliver(issued.UserId, (JsonArray)body["messages"]!);
        if (!await FailAfterAsync(ctx, fault))
            await AnswerAsync(ctx, call, 200, new JsonObject { ["sentMessages"] = sent });
    }

    static int FaultStatus(FakeOutcome fault) => fault switch { FakeOutcome.DeliveredThenServerError => 500, FakeOutcome.DeliveredSlowly => 200, _ => 0 };

    async Task PushAsync(HttpContext ctx, JsonObject body, string? retryKey)
    {
        var to = body["to"]!.GetValue<string>();
        if (retryKey is not null && acceptedRetryKeys.TryGetValue(retryKey, out var acceptedId))
        {
            ctx.Response.Headers["x-line-accepted-request-id"] = acceptedId;
            await AnswerAsync(ctx, Record("POST", "/v2/bot/message/push", body, retryKey, 409, [], to, null), 409,
                new JsonObject { ["message"] = "The retry key is already accepted" });
            return;
        }
        var fault = NextFault(pushOutcomes, new FakeCall(FakeCallKind.Push, to, null, retryKey));
        if (await FailBeforeAsync(ctx, fault, "/v2/bot/message/push", body, retryKey, to, null))
            return;
        var requestId = Guid.NewGuid().ToString();
        // Two concurrent requests with one key: only one is executed.
        if (retryKey is not null && !acceptedRetryKeys.TryAdd(retryKey, requestId))
        {
            ctx.Response.Headers["x-line-accepted-request-id"] = acceptedRetryKeys[retryKey];
            await AnswerAsync(ctx, Record("POST", "/v2/bot/message/push", body, retryKey, 409, [], to, null), 409,
                new JsonObject { ["message"] = "The retry key is already accepted" });
            return;
        }
        var call = Record("POST", "/v2/bot/message/push", body, retryKey, fault is null ? 200 : FaultStatus(fault.Value), [], to, null, fault: fault);
        var sent = Deliver(to, (JsonArray)body["messages"]!);
        ctx.Response.Headers["x-line-request-id"] = requestId;
        if (!await FailAfterAsync(ctx, fault))
            await AnswerAsync(ctx, call, 200, new JsonObject { ["sentMessages"] = sent });
    }

    async Task UploadRichMenuImageAsync(HttpContext ctx, string path, byte[] bytes, string? contentType)
    {
        var id = path["/v2/bot/richmenu/".Length..^"/content".Length];
        var errors = new List<SchemaError>();
        if (!richMenus.TryGetValue(id, out var menu))
            errors.Add(new("richMenuId", "no such rich menu"));
        if (contentType is not ("image/png" or "image/jpeg"))
            errors.Add(new("Content-Type", "must be image/png or image/jpeg"));
        if (bytes.Length > 1024 * 1024)
            errors.Add(new("(body)", "the image must be at most 1 MB"));
        if (contentType == "image/png" && menu is not null)
        {
            var isPng = bytes.Length > 24 && bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 });
            var width = isPng ? BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)) : 0;
            var height = isPng ? BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)) : 0;
            if (!isPng)
                errors.Add(new("(body)", "not a PNG image"));
            else if (width != menu["size"]?["width"]?.GetValue<int>() || height != menu["size"]?["height"]?.GetValue<int>())
                errors.Add(new("(body)", $"the image is {width}x{height}, the rich menu is {menu["size"]?["width"]}x{menu["size"]?["height"]}"));
        }
        var status = errors.Count == 0 ? 200 : 400;
        await AnswerAsync(ctx, Record("POST", path, null, null, status, errors, null, null, contentType, bytes.Length), status,
            status == 200 ? new JsonObject() : ErrorBody("Invalid image", errors));
    }

    JsonArray Deliver(string userId, JsonArray messages)
    {
        var sent = new JsonArray();
        var lines = chats.GetOrAdd(userId, _ => []);
        lock (lines)
        {
            foreach (var m in messages)
            {
                lines.Add(new ChatLine(true, (JsonObject)m!.DeepClone(), Time.GetUtcNow()));
                sent.Add(new JsonObject { ["id"] = Interlocked.Increment(ref sentMessageIds).ToString() });
            }
        }
        return sent;
    }

    ApiCall Record(string method, string path, JsonNode? body, string? retryKey, int status, IReadOnlyList<SchemaError> errors, string? user, string? replyToken,
        string? contentType = null, int contentLength = 0, FakeOutcome? fault = null)
    {
        var call = new ApiCall(Interlocked.Increment(ref sequence), Time.GetUtcNow(), method, path, body, retryKey, status, errors, user, replyToken, contentType, contentLength, fault);
        lock (calls)
            calls.Add(call);
        CallRecorded?.Invoke(call);
        return call;
    }

    /// <summary>Takes the recorded call so that every call is on record before the bot sees its answer.</summary>
    static async Task AnswerAsync(HttpContext ctx, ApiCall recorded, int status, JsonObject body)
    {
        ctx.Response.StatusCode = status;
        if (string.IsNullOrEmpty(ctx.Response.Headers["x-line-request-id"]))
            ctx.Response.Headers["x-line-request-id"] = "fake-" + recorded.Sequence;
        await ctx.Response.WriteAsJsonAsync(body);
    }

    static JsonObject ErrorBody(string message, IEnumerable<SchemaError> errors) => new()
    {
        ["message"] = message,
        ["details"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject { ["message"] = e.Message, ["property"] = e.Property }).ToArray()),
    };

    // --- the chat page's view of a conversation ------------------------------------------------------------

    internal void RecordUserLine(string userId, JsonObject shown)
    {
        var lines = chats.GetOrAdd(userId, _ => []);
        lock (lines)
            lines.Add(new ChatLine(false, shown, Time.GetUtcNow()));
    }

    internal IReadOnlyList<ChatLine> Chat(string userId) =>
        chats.TryGetValue(userId, out var lines) ? Locked(lines, l => l.ToList()) : [];

    static T Locked<T>(List<ChatLine> lines, Func<List<ChatLine>, T> read)
    {
        lock (lines)
            return read(lines);
    }

    /// <summary>Text, Flex texts and button labels, one line each.</summary>
    public static string ReadableText(JsonObject message)
    {
        var sb = new StringBuilder();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["type"]?.GetValue<string>() is "text" && o["text"] is JsonValue t)
                        sb.AppendLine(t.GetValue<string>());
                    if (o["type"]?.GetValue<string>() is "button" && o["action"]?["label"] is JsonValue l)
                        sb.AppendLine("[" + l.GetValue<string>() + "]");
                    foreach (var key in new[] { "header", "hero", "body", "footer", "contents" })
                        Walk(o[key]);
                    break;
                case JsonArray a:
                    foreach (var item in a)
                        Walk(item);
                    break;
            }
        }
        if (message["type"]?.GetValue<string>() == "text")
            sb.AppendLine(message["text"]!.GetValue<string>());
        else
            Walk(message["contents"]);
        if (message["quickReply"]?["items"] is JsonArray items)
            foreach (var item in items)
                sb.AppendLine("(" + item?["action"]?["label"]?.GetValue<string>() + ")");
        return sb.ToString().TrimEnd();
    }

    public async ValueTask DisposeAsync()
    {
        webhookClient.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    sealed record IssuedToken(string UserId, DateTimeOffset IssuedAt, bool Used);

    internal sealed record ChatLine(bool FromBot, JsonObject Message, DateTimeOffset At);
}
