using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Questions;
using FrontDesk.Knowledge.Listings;

namespace FrontDesk.Bot.Flows.Listings;

/// <summary>Free text that asks for houses (「長野で月5万円以下の賃貸」) starts the search; questions about the bank itself go on to the knowledge base.</summary>
public sealed class ListingTextIntent(FilterParser parser, ListingSearchFlow flow) : TextIntent
{
    public override int Order => 10;

    public override async Task<bool> TryHandleAsync(TurnContext turn, string text, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var request = parser.Parse(text);
        if (!request.IsSearch)
            return false;
        turn.State.Flows.RemoveAll(f => f.Flow == ListingSearchFlow.FlowName);
        var frame = new FlowFrame { Flow = ListingSearchFlow.FlowName };
        turn.State.Flows.Add(frame);
        await flow.StartWithRequestAsync(turn, frame, request, ct);
        return true;
    }
}
