using Microsoft.AspNetCore.Http.Features;

namespace FrontDesk.Bot.Kiosk;

/// <summary>The credential an endpoint takes. A conversation token unless the endpoint says otherwise.</summary>
public enum DirectLineCredential { ConversationToken, DeviceKey, DeviceKeyOrConversationToken, None }

/// <summary>Endpoint metadata read by <see cref="DirectLineAuthorization"/>.</summary>
/// <param name="LooksUpConversation">False where the handler's own read tells a missing or ended conversation (the poll).</param>
/// <param name="TokenQueryName">Where the token travels in the URL (the WebSocket stream: browsers cannot set its headers).</param>
public sealed record DirectLineAccess(DirectLineCredential Accepts, bool LooksUpConversation = true, string? TokenQueryName = null);

/// <summary>Who the filter let in: a device, and the conversation when a token named one.</summary>
public sealed record DirectLineCaller(string Device, string? ConversationId);

/// <summary>
/// The endpoint filter on the Direct Line and kiosk API groups. A conversation token must be signed by us, unexpired,
/// for the conversation in the path (route value "id") and, unless the endpoint looks itself, for an open conversation.
/// </summary>
public sealed class DirectLineAuthorization(KioskDevices devices, KioskTokens tokens, KioskConversations conversations) : IEndpointFilter
{
    static readonly DirectLineAccess Default = new(DirectLineCredential.ConversationToken);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var access = http.GetEndpoint()?.Metadata.GetMetadata<DirectLineAccess>() ?? Default;
        if (access.Accepts == DirectLineCredential.None)
            return await next(context);

        var bearer = Bearer(http);
        if (access.Accepts is DirectLineCredential.DeviceKey or DirectLineCredential.DeviceKeyOrConversationToken
            && devices.Authenticate(bearer) is { } device)
        {
            http.Features.Set(new DirectLineCaller(device, null));
            return await next(context);
        }
        if (access.Accepts == DirectLineCredential.DeviceKey)
            return DirectLineEndpoints.Error(StatusCodes.Status401Unauthorized, "Unauthorized", "A kiosk device key is required.");

        var fromUrl = access.TokenQueryName is { } name ? http.Request.Query[name].ToString() : "";
        var (caller, failure) = await CheckTokenAsync(fromUrl.Length > 0 ? fromUrl : bearer, http.GetRouteValue("id") as string, access.LooksUpConversation, http.RequestAborted);
        if (failure is not null)
            return failure;
        http.Features.Set(caller);
        return await next(context);
    }

    async Task<(DirectLineCaller? Caller, IResult? Failure)> CheckTokenAsync(string? bearer, string? conversationId, bool lookUp, CancellationToken ct)
    {
        switch (tokens.Check(bearer, out var token))
        {
            case TokenCheck.Missing:
                return (null, DirectLineEndpoints.Error(StatusCodes.Status401Unauthorized, "Unauthorized", "A conversation token is required."));
            case TokenCheck.Malformed:
                return (null, DirectLineEndpoints.Error(StatusCodes.Status403Forbidden, "BadToken", "The token is not valid."));
            case TokenCheck.Expired:
                return (null, DirectLineEndpoints.Error(StatusCodes.Status403Forbidden, "TokenExpired", "The token has expired."));
        }
        if (conversationId is not null && !string.Equals(conversationId, token!.ConversationId, StringComparison.Ordinal))
            return (null, DirectLineEndpoints.Error(StatusCodes.Status403Forbidden, "BadToken", "The token is not valid for this conversation."));
        if (lookUp)
        {
            var conversation = await conversations.FindAsync(token!.ConversationId, ct);
            if (conversation is null)
                return (null, DirectLineEndpoints.Error(StatusCodes.Status404NotFound, "NotFound", "Unknown conversation."));
            if (conversation.EndedAt is not null)
                return (null, DirectLineEndpoints.Error(StatusCodes.Status403Forbidden, "TokenRevoked", "This conversation has ended."));
        }
        return (new DirectLineCaller(token!.Device, token.ConversationId), null);
    }

    /// <summary>The caller the filter let in; only for endpoints behind it.</summary>
    public static DirectLineCaller Caller(HttpContext http) => http.Features.GetRequiredFeature<DirectLineCaller>();

    public static string? Bearer(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }
}
