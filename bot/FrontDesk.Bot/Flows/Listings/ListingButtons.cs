using System.Globalization;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Handoff;
using FrontDesk.Knowledge.Listings;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Flows.Listings;

/// <summary>
/// The buttons on listing cards: 「詳しく見る」 and 「この物件について相談する」. They work from any state, also from an old
/// carousel after the search has ended, so they are a global command rather than steps of the search.
/// </summary>
public sealed class ListingButtons(ListingSearch search, HandoffDesk handoff, IOptions<ListingsOptions> options) : Interruption
{
    public override string Command => ListingCards.Command;
    public override IReadOnlyList<string> Triggers { get; } = [];

    public override async Task RunAsync(TurnContext turn, CancellationToken ct)
    {
        var value = turn.Inbound.Value ?? "";
        var (action, idText) = value.Split(':', 2) is [var a, var i] ? (a, i) : ("", "");
        if (action is not ("detail" or "consult") || !long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            turn.Say(new LocalText("このボタンは使えなくなりました。もう一度検索してください。", "This button no longer works. Please search again."),
                CardAction.Command(turn.T("物件を探す", "Search houses"), Commands.StartFlow, ListingSearchFlow.FlowName));
            return;
        }
        var listing = await search.GetAsync(id, ct);
        if (listing is null)
        {
            turn.Say(new LocalText("この物件の情報は見つかりませんでした。掲載が終わった可能性があります。", "I could not find this listing; it may have been taken down."),
                CardAction.Command(turn.T("物件を探す", "Search houses"), Commands.StartFlow, ListingSearchFlow.FlowName));
            return;
        }
        if (action == "detail")
        {
            // Questions about it (「この家はペット飼える？」) are answered from these fields while the search is open.
            if (turn.State.Flows.LastOrDefault(f => f.Flow == ListingSearchFlow.FlowName) is { } search)
                search.Values[ListingSearchFlow.OpenListing] = id.ToString(CultureInfo.InvariantCulture);
            turn.Send(new Activity
            {
                Text = turn.T("物件の詳細です。内容は掲載時点のもので、最新の状況は掲載元の自治体にご確認ください。",
                    "Here are the details. They are as of the date shown; please check the latest with the municipality."),
                Cards = [ListingCards.Detail(turn, listing, options.Value.PublicBaseUrl)],
            });
            return;
        }

        // The search is over once a person takes the conversation; the coordinator sees the listing in the console.
        turn.State.Flows.RemoveAll(f => f.Flow == ListingSearchFlow.FlowName);
        handoff.Request(turn, "listing", ListingCards.Attachment(listing));
    }
}
