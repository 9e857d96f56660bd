using System.Net.WebSockets;
using System.Text;

namespace FrontDesk.Bot.Kiosk;

/// <summary>The WebSocket stream: ActivitySet frames as activities arrive, until the client closes or the conversation ends.</summary>
public static class DirectLineStream
{
    public static async Task StreamAsync(string id, string? watermark, HttpContext http, KioskConversations conversations, CancellationToken ct)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await DirectLineEndpoints.Error(StatusCodes.Status400BadRequest, "BadArgument", "This address takes a WebSocket.").ExecuteAsync(http);
            return;
        }
        if (!DirectLineEndpoints.TryParseWatermark(watermark, out var after))
        {
            await DirectLineEndpoints.Error(StatusCodes.Status400BadRequest, "BadArgument", "Bad watermark.").ExecuteAsync(http);
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
                    await socket.SendAsync(Encoding.UTF8.GetBytes(DirectLineEndpoints.ActivitySet(activities, last)), WebSocketMessageType.Text, true, ct);
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
}
