using FrontDesk.Bot.Conversations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Line;

/// <summary>
/// LINE's part of a turn after the handoff (unsend comes earlier, see <see cref="UnsendMiddleware"/>): answers stickers,
/// images and the like with what the bot can read, and shows the loading animation in 1:1 chats while a turn takes
/// longer than a moment.
/// </summary>
public sealed partial class LineTurnMiddleware(
    LineMessagingClient client,
    IOptions<LineOptions> options,
    TimeProvider time,
    ILogger<LineTurnMiddleware> logger) : ITurnMiddleware
{
    public async Task InvokeAsync(TurnContext turn, TurnHandler next, CancellationToken ct)
    {
        if (turn.Address.Channel != LineChannel.Name)
        {
            await next(turn, ct);
            return;
        }
        var inbound = turn.Inbound;
        if (inbound.Kind == ActivityKind.Event && inbound.Name == LineChannel.Events.UnsupportedMessage)
        {
            turn.Say(Unsupported(inbound.Value), BotTexts.MenuButton(turn));
            return;
        }
        if (inbound.Kind == ActivityKind.Event || !options.Value.Enabled
            || inbound.ChannelData.GetValueOrDefault(LineChannel.Data.Chat) != "user")
        {
            await next(turn, ct);
            return;
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loading = ShowLoadingLaterAsync(turn.Address.Id, done.Token, ct);
        try
        {
            await next(turn, ct);
        }
        finally
        {
            await done.CancelAsync();
            // Awaited so that a started animation request is answered before the reply goes out, never after it.
            await loading;
        }
    }

    async Task ShowLoadingLaterAsync(string userId, CancellationToken turnDone, CancellationToken ct)
    {
        try
        {
            await Task.Delay(options.Value.LoadingAnimationAfter, time, turnDone);
            // Not cancelled when the turn ends: a request LINE may already have received must finish before the reply.
            var result = await client.StartLoadingAsync(userId, 20, ct);
            if (!result.Ok)
                LogLoadingFailed(result.Status);
        }
        catch (OperationCanceledException)
        {
            // The turn finished first: no animation needed.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The animation is a courtesy: its failure (network, timeout) must never fail the turn.
            LogLoadingError(e);
        }
    }

    static LocalText Unsupported(string? type)
    {
        var (ja, en) = type switch
        {
            "sticker" => ("スタンプをありがとうございます。", "Thank you for the sticker."),
            "image" => ("画像を受け取りましたが、内容を読み取ることができません。", "I received an image but cannot read it."),
            "video" => ("動画を受け取りましたが、内容を読み取ることができません。", "I received a video but cannot read it."),
            "audio" => ("音声を受け取りましたが、聞き取ることができません。", "I received a voice message but cannot listen to it."),
            "file" => ("ファイルを受け取りましたが、開くことができません。", "I received a file but cannot open it."),
            "location" => ("位置情報をありがとうございます。ただ、位置情報からのご案内はまだできません。", "Thank you for the location, but I cannot use locations yet."),
            _ => ("このメッセージは読み取ることができません。", "I cannot read this kind of message."),
        };
        return new LocalText(
            ja + "\n申し訳ありませんが、お読みできるのは文字のメッセージだけです。ご質問を文字でお送りいただくか、メニューからお選びください。",
            en + "\nSorry, I can only read text messages. Please type your question or choose from the menu.");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "LINE loading animation refused with HTTP {Status}")]
    partial void LogLoadingFailed(int status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LINE loading animation request failed")]
    partial void LogLoadingError(Exception e);
}
