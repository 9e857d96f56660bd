using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Line;

/// <summary>An answer of the Messaging API: the status and LINE's error message, if any.</summary>
public readonly record struct LineApiResult(int Status, string? Message = null, JsonNode? Body = null, TimeSpan? RetryAfter = null)
{
    public bool Ok => Status is >= 200 and < 300;
    /// <summary>The push was already accepted under this retry key (a retry after a lost answer): delivered once, so success.</summary>
    public bool AlreadyAccepted => Status == 409;
}

public sealed record LineProfile(string UserId, string DisplayName, string? Language);

/// <summary>
/// The Messaging API calls FrontDesk makes (messaging-api.yml). Resilience is in the HttpClient's pipeline (see
/// <see cref="LineExtensions"/>): push is retried with its retry key, reply never (a reply token is single-use).
/// </summary>
public sealed class LineMessagingClient(HttpClient http, IOptions<LineOptions> options)
{
    public const string RetryKeyHeader = "X-Line-Retry-Key";

    public Task<LineApiResult> ReplyAsync(string replyToken, IReadOnlyList<JsonObject> messages, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Api("/v2/bot/message/reply"), new JsonObject
        {
            ["replyToken"] = replyToken,
            ["messages"] = Messages(messages),
        }, retryKey: null, ct);

    /// <summary>Pushes with a retry key: LINE executes a request at most once per key, so retries cannot duplicate it.</summary>
    public Task<LineApiResult> PushAsync(string to, IReadOnlyList<JsonObject> messages, Guid retryKey, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Api("/v2/bot/message/push"), new JsonObject
        {
            ["to"] = to,
            ["messages"] = Messages(messages),
        }, retryKey, ct);

    /// <summary>The "..." animation in a 1:1 chat until the next message or for the given seconds (5 to 60, multiple of 5).</summary>
    public Task<LineApiResult> StartLoadingAsync(string userId, int seconds, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, Api("/v2/bot/chat/loading/start"), new JsonObject
        {
            ["chatId"] = userId,
            ["loadingSeconds"] = Math.Clamp(seconds / 5 * 5, 5, 60),
        }, retryKey: null, ct);

    public async Task<LineProfile?> GetProfileAsync(string userId, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, Api("/v2/bot/profile/" + Uri.EscapeDataString(userId)));
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            return null;
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        return body?["userId"] is null ? null
            : new LineProfile(body["userId"]!.GetValue<string>(), body["displayName"]?.GetValue<string>() ?? "", body["language"]?.GetValue<string>());
    }

    public async Task<string> CreateRichMenuAsync(JsonObject menu, CancellationToken ct)
    {
        var result = await SendJsonAsync(HttpMethod.Post, Api("/v2/bot/richmenu"), menu, retryKey: null, ct);
        return result.Ok && result.Body?["richMenuId"]?.GetValue<string>() is { } id
            ? id
            : throw new LineApiException("Creating the rich menu", result);
    }

    public async Task UploadRichMenuImageAsync(string richMenuId, byte[] image, string contentType, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, DataApi($"/v2/bot/richmenu/{Uri.EscapeDataString(richMenuId)}/content"));
        request.Content = new ByteArrayContent(image);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var result = await ReadAsync(await http.SendAsync(request, ct), ct);
        if (!result.Ok)
            throw new LineApiException("Uploading the rich-menu image", result);
    }

    public async Task SetDefaultRichMenuAsync(string richMenuId, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, Api($"/v2/bot/user/all/richmenu/{Uri.EscapeDataString(richMenuId)}"));
        var result = await ReadAsync(await http.SendAsync(request, ct), ct);
        if (!result.Ok)
            throw new LineApiException("Setting the default rich menu", result);
    }

    async Task<LineApiResult> SendJsonAsync(HttpMethod method, Uri uri, JsonObject body, Guid? retryKey, CancellationToken ct)
    {
        using var request = Request(method, uri);
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        if (retryKey is { } key)
            request.Headers.TryAddWithoutValidation(RetryKeyHeader, key.ToString());
        return await ReadAsync(await http.SendAsync(request, ct), ct);
    }

    static async Task<LineApiResult> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using (response)
        {
            JsonNode? body = null;
            try
            {
                if (response.Content.Headers.ContentLength is not 0)
                    body = await response.Content.ReadFromJsonAsync<JsonNode>(ct);
            }
            catch (JsonException)
            {
                // A proxy's HTML error page, say: the status is what matters.
            }
            var retryAfter = response.Headers.RetryAfter is { } after
                ? after.Delta ?? (after.Date is { } date ? date - DateTimeOffset.UtcNow : null)
                : null;
            return new LineApiResult((int)response.StatusCode, body?["message"]?.GetValueKind() == JsonValueKind.String ? body["message"]!.GetValue<string>() : null, body, retryAfter);
        }
    }

    HttpRequestMessage Request(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.ChannelAccessToken);
        return request;
    }

    Uri Api(string path) => new(options.Value.ApiBaseUrl.TrimEnd('/') + path);
    Uri DataApi(string path) => new(options.Value.DataApiBaseUrl.TrimEnd('/') + path);

    static JsonArray Messages(IReadOnlyList<JsonObject> messages) =>
        new(messages.Select(m => (JsonNode)(m.Parent is null ? m : m.DeepClone())).ToArray());
}

public sealed class LineApiException(string what, LineApiResult result)
    : Exception($"{what} failed: HTTP {result.Status} {result.Message}")
{
    public LineApiResult Result { get; } = result;
}
