using FrontDesk.Jobs;
using System.Text.Json;
using FrontDesk.Bot.Conversations;
using FrontDesk.Bot.Flows.Questions;
using FrontDesk.Knowledge.Listings;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Flows.Listings;

/// <summary>
/// The vacant-house search as a conversation: the request becomes a filter, the bot says what it understood
/// (「条件: 長野県・賃貸・月5万円以下」), asks back when the place or budget is unclear, shows a carousel of listings and takes
/// refinements (「もっと安く」「賃貸だけ」「松本市で」), paging (「もっと見る」) and a reset. The filter lives in the flow frame.
/// </summary>
public sealed partial class ListingSearchFlow(FilterParser parser, ListingSearch search, IOptions<ListingsOptions> options, IServiceProvider services) : Flow
{
    public const string FlowName = "listings";
    public const int PageSize = 10;
    const string PlaceStep = "place";
    const string ResultsStep = "results";
    const string AnyPlace = "any";
    const string More = "more";
    const string Cheaper = "cheaper";
    const string Reset = "reset";
    const string RentOnly = "rent-only";
    const string BuyOnly = "buy-only";

    static readonly string[] MoreTriggers = ["もっと見る", "次", "次へ", "続き", "次の物件", "more", "next", "show more"];
    static readonly string[] CheaperTriggers = ["もっと安く", "もう少し安く", "安く", "安いの", "もっと安い", "cheaper", "less expensive"];
    static readonly string[] ResetTriggers = ["条件をリセット", "リセット", "条件をクリア", "最初から", "reset", "start over", "clear"];
    static readonly string[] AnyPlaceTriggers = ["こだわらない", "どこでも", "どこでもいい", "全国", "場所はこだわらない", "anywhere", "any"];

    public override string Name => FlowName;
    public override LocalText Title { get; } = new("空き家バンクの物件検索", "Vacant-house search");

    /// <summary>Small talk and the office's facts are not search conditions.</summary>
    public override bool GivesWayTo(Intent intent) => true;

    public override Task StartAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        AskForRequest(turn, frame);
        return Task.CompletedTask;
    }

    /// <summary>Starts with a request already typed, such as 「長野で月5万円以下の賃貸」.</summary>
    public Task StartWithRequestAsync(TurnContext turn, FlowFrame frame, ParsedRequest request, CancellationToken ct) =>
        ApplyAsync(turn, frame, request, ct);

    public override async Task ContinueAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        var inbound = turn.Inbound;
        var button = inbound.Kind == ActivityKind.Command && inbound.Name == Commands.Answer ? inbound.Value ?? "" : null;
        switch (button)
        {
            case RentOnly or BuyOnly:
                await ApplyAsync(turn, frame, new ParsedRequest(new ListingFilter { Deal = button == RentOnly ? Deal.Rent : Deal.Sale }, [], true, false), ct);
                return;
            case not null when frame.Step == PlaceStep && button is not (More or Cheaper or Reset):
                await ChoosePlaceAsync(turn, frame, button, ct);
                return;
        }
        var text = inbound.Input;
        // Refinements come as buttons (commands), so pressing 「もっと見る」 again and again is not mistaken for a user repeating themselves.
        var typed = button switch
        {
            More => MoreTriggers[0],
            Cheaper => CheaperTriggers[0],
            Reset => ResetTriggers[0],
            _ => Phrases.Normalize(text),
        };
        if (Phrases.Matches(typed, ResetTriggers))
        {
            frame.Values.Clear();
            frame.Step = null;
            turn.Say("条件をリセットしました。", "I have cleared the conditions.");
            AskForRequest(turn, frame);
            return;
        }
        if (Phrases.Matches(typed, MoreTriggers) && frame.Step == ResultsStep)
        {
            frame.Values["offset"] = (Offset(frame) + PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ShowAsync(turn, frame, ct);
            return;
        }
        if (Phrases.Matches(typed, CheaperTriggers))
        {
            await CheaperAsync(turn, frame, ct);
            return;
        }
        if (frame.Step == PlaceStep && Phrases.Matches(typed, AnyPlaceTriggers))
        {
            await ChoosePlaceAsync(turn, frame, AnyPlace, ct);
            return;
        }

        var request = parser.Parse(text);
        if (await AnswerAboutOpenListingAsync(turn, frame, text, request, ct))
            return;
        // A question in the middle of a search (「空き家バンクとは？」「子育て加算はありますか？」) is answered from the
        // knowledge base and the search stays open; one the sources cannot answer is read as conditions when it has any.
        var asks = !request.IsSearch && request.LooksLikeQuestion;
        if (asks || Phrases.IsQuestion(text) && !NamesHardConditions(request.Filter))
        {
            var freeText = services.GetRequiredService<FreeTextHandler>();
            var answered = freeText.TryAnswer(turn, text);
            if (!answered && asks)
            {
                await freeText.HandleAsync(turn, ct);
                answered = true;
            }
            if (answered)
            {
                await ResumeAsync(turn, frame, ct);
                return;
            }
        }
        if (request.Filter.IsEmpty && request.Problems.Count == 0)
        {
            frame.Attempts++;
            turn.Say(new LocalText(
                "すみません、物件の条件として読み取れませんでした。地域、賃貸か購入か、予算、間取り、築年数、「畑付き」「駅から歩ける」などの言葉で入力してください。",
                "Sorry, I could not read that as search conditions. Please mention a place, rent or buy, a budget, a layout, the age, or features such as farmland."),
                [.. Suggestions(turn, frame), CardAction.Command(turn.T("検索をやめる", "Stop searching"), Commands.Cancel)]);
            return;
        }
        frame.Attempts = 0;
        await ApplyAsync(turn, frame, request, ct);
    }

    /// <summary>The listing whose details were opened last in this search (its id), for questions about 「この家」.</summary>
    public const string OpenListing = "open";

    async Task<bool> AnswerAboutOpenListingAsync(TurnContext turn, FlowFrame frame, string text, ParsedRequest request, CancellationToken ct)
    {
        if (!frame.Values.TryGetValue(OpenListing, out var open) || !long.TryParse(open, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            || ListingQuestions.Asked(text, Phrases.IsQuestion(text), NamesHardConditions(request.Filter)) is not { } topic
            || await search.GetAsync(id, ct) is not { } stored)
            return false;
        var (answer, _) = ListingQuestions.Answer(topic, stored.Listing, JapanTime.ToLocal(turn.Now).Year);
        turn.Say(answer, [CardAction.Command(turn.T("この物件について相談する", "Ask about this house"), ListingCards.Command, $"consult:{stored.Id}"), .. Suggestions(turn, frame)]);
        return true;
    }

    // A place, a deal, a budget, a layout or an age make it a search even when it is worded as a question.
    static bool NamesHardConditions(ListingFilter f) =>
        f.Prefecture is not null || f.Municipality is not null || f.Deal is not null || f.MaxPrice is not null || f.MaxRent is not null
        || f.MinRooms is not null || f.MaxAgeYears is not null;


    public override Task ResumeAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        // The listing buttons (details, ask) belong to this search: nothing to remind the user of.
        if (turn.Inbound.Kind == ActivityKind.Command && turn.Inbound.Name == ListingCards.Command)
            return Task.CompletedTask;
        var filter = FilterOf(frame);
        turn.Say(new LocalText(
            $"物件検索を続けられます（条件: {filter.Describe("ja")}）。条件を入力するか、下のボタンをお使いください。",
            $"You can go on with the house search (conditions: {filter.Describe("en")}). Type a condition or use the buttons."),
            Suggestions(turn, frame));
        return Task.CompletedTask;
    }

    async Task ApplyAsync(TurnContext turn, FlowFrame frame, ParsedRequest request, CancellationToken ct)
    {
        var filter = FilterOf(frame).Merge(request.Filter);
        Save(frame, filter);
        frame.Values.Remove(OpenListing);
        if (request.Problems.Count > 0)
        {
            AskAbout(turn, frame, request.Problems[0]);
            return;
        }
        frame.Values["offset"] = "0";
        await ShowAsync(turn, frame, ct);
    }

    async Task ShowAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        var filter = FilterOf(frame);
        if (filter.Prefecture is null && filter.Municipality is null && !frame.Values.ContainsKey(AnyPlace))
        {
            await AskPlaceAsync(turn, frame, new LocalText("どの地域で探しますか？都道府県名や市町村名を入力するか、下から選んでください。",
                "Where would you like to look? Type a prefecture or municipality, or pick one below."), ct);
            return;
        }

        var offset = Offset(frame);
        var page = await search.SearchAsync(filter, offset, PageSize, ct);
        frame.Step = ResultsStep;
        var understood = new LocalText($"条件: {filter.Describe("ja")}", $"Conditions: {filter.Describe("en")}");
        if (page.Total == 0)
        {
            turn.Say(new LocalText(
                $"{understood.Ja}\n条件に合う物件は、いま掲載されていません。条件をゆるめるか（例: 「もっと広い地域」なら県名だけで）、別の条件をお試しください。",
                $"{understood.En}\nNo listings match these conditions at the moment. Try fewer conditions (for example just the prefecture) or different ones."),
                Suggestions(turn, frame));
            return;
        }
        if (page.Items.Count == 0)
        {
            turn.Say(new LocalText($"{understood.Ja}\n全{page.Total}件をすべてご覧いただきました。", $"{understood.En}\nThat was all {page.Total} listings."),
                Suggestions(turn, frame));
            return;
        }

        var shown = offset + page.Items.Count;
        var capped = page.Total >= ListingSearch.CountCap;
        var found = new LocalText(capped ? $"{ListingSearch.CountCap}件以上" : $"{page.Total}件", capped ? $"over {ListingSearch.CountCap} found" : $"{page.Total} found");
        var more = shown < page.Total || capped;
        frame.Values["more"] = more ? "1" : "0";
        var baseUrl = options.Value.PublicBaseUrl;
        turn.Send(new Activity
        {
            Text = turn.T(
                $"{understood.Ja}（{found.Ja}）\n{offset + 1}〜{shown}件目をご紹介します。" + (more ? "続きは「もっと見る」でご覧いただけます。" : ""),
                $"{understood.En} ({found.En})\nShowing {offset + 1}-{shown}." + (more ? " Say \"more\" for the next ones." : "")),
            Cards = page.Items.Select(l => ListingCards.Summary(turn, l, baseUrl)).ToList(),
            Layout = CardLayout.Carousel,
            SuggestedActions = Suggestions(turn, frame),
        });
    }

    async Task ChoosePlaceAsync(TurnContext turn, FlowFrame frame, string value, CancellationToken ct)
    {
        var filter = FilterOf(frame);
        if (value == AnyPlace)
            frame.Values[AnyPlace] = "1";
        else
        {
            var parts = value.Split('|', 2);
            filter = filter with { Prefecture = parts[0], Municipality = parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null };
        }
        Save(frame, filter);
        frame.Values["offset"] = "0";
        await ShowAsync(turn, frame, ct);
    }

    async Task CheaperAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        var filter = FilterOf(frame);
        // About 20% less, rounded to what people say: thousands of yen for rent, 100,000s for a price.
        if (filter.MaxRent is { } rent && rent >= 5_000)
            filter = filter with { MaxRent = (int)(Math.Floor(rent * 0.8 / 1_000) * 1_000) };
        else if (filter.MaxPrice is { } price && price >= 200_000)
            filter = filter with { MaxPrice = (long)(Math.Floor(price * 0.8 / 100_000) * 100_000) };
        else
        {
            turn.Say(new LocalText("予算の上限を教えてください。例: 「月4万円まで」「200万円以下」",
                "What is your budget? For example \"up to 40,000 yen a month\" or \"under 2 million yen\"."), Suggestions(turn, frame));
            return;
        }
        Save(frame, filter);
        frame.Values["offset"] = "0";
        await ShowAsync(turn, frame, ct);
    }

    void AskAbout(TurnContext turn, FlowFrame frame, FilterProblem problem)
    {
        switch (problem.Kind)
        {
            case FilterProblemKind.AmbiguousPlace or FilterProblemKind.TwoPlaces when problem.Options is { Count: > 0 } options:
                frame.Step = PlaceStep;
                turn.Say(problem.Kind == FilterProblemKind.AmbiguousPlace
                        ? new LocalText($"「{problem.Text}」は{string.Join("と", options.Select(o => o.Prefecture))}にあります。どちらで探しますか？",
                            $"There is a \"{problem.Text}\" in {string.Join(" and ", options.Select(o => o.Prefecture))}. Which one?")
                        : new LocalText("一度に探せる地域は1つです。どちらから探しますか？", "I can search one place at a time. Which one first?"),
                    [.. options.Select(o => CardAction.Command(o.Prefecture + o.Municipality, Commands.Answer, o.Prefecture + "|" + o.Municipality))]);
                return;
            case FilterProblemKind.TwoPlaces:
                frame.Step = PlaceStep;
                turn.Say(new LocalText($"一度に探せる地域は1つです（{problem.Text}）。どちらか1つを入力してください。",
                    $"I can search one place at a time ({problem.Text}). Please type one of them."));
                return;
            case FilterProblemKind.UnknownPlace:
                frame.Step = PlaceStep;
                turn.Say(new LocalText(
                    $"「{problem.Text}」は、この検索で使える地名に見つかりませんでした。都道府県名（例: 長野県）か、近くの市町村名で入力していただけますか？",
                    $"I do not know the place \"{problem.Text}\". Could you type the prefecture (for example Nagano) or a nearby municipality?"),
                    CardAction.Command(turn.T("場所はこだわらない", "Anywhere"), Commands.Answer, AnyPlace));
                return;
            case FilterProblemKind.ZeroBudget:
                turn.Say(new LocalText("0円の物件はお探しできません。予算の上限を「月3万円まで」「200万円まで」のように教えてください。",
                    "I cannot search for houses at 0 yen. Please give an upper limit, such as \"30,000 yen a month\" or \"2 million yen\"."), Suggestions(turn, frame));
                return;
            case FilterProblemKind.AbsurdBudget:
                turn.Say(new LocalText($"「{problem.Text}」は予算として現実的でないようです。上限の金額を、もう一度教えてください（例: 「月5万円まで」「500万円以下」）。",
                    $"\"{problem.Text}\" does not look like a realistic budget. Please give the upper limit again (for example 50,000 yen a month or 5 million yen)."), Suggestions(turn, frame));
                return;
            default:
                turn.Say(problem.Text == "monthly-for-sale"
                        ? new LocalText("購入のご希望に、月々の金額が書かれていました。賃貸で探しますか、購入価格で探しますか？",
                            "You mentioned buying and a monthly amount. Shall I look for rentals, or for a purchase price?")
                        : new LocalText("賃貸と購入の両方が含まれていました。どちらで探しますか？", "You mentioned both renting and buying. Which one?"),
                    CardAction.Command(turn.T("賃貸だけ", "Rent only"), Commands.Answer, RentOnly),
                    CardAction.Command(turn.T("購入だけ", "Buy only"), Commands.Answer, BuyOnly));
                return;
        }
    }

    async Task AskPlaceAsync(TurnContext turn, FlowFrame frame, LocalText question, CancellationToken ct)
    {
        frame.Step = PlaceStep;
        var prefectures = await search.PrefecturesAsync(6, ct);
        turn.Say(question,
        [
            .. prefectures.Select(p => CardAction.Command(p, Commands.Answer, p)),
            CardAction.Command(turn.T("場所はこだわらない", "Anywhere"), Commands.Answer, AnyPlace),
        ]);
    }

    static void AskForRequest(TurnContext turn, FlowFrame frame)
    {
        frame.Step = null;
        turn.Say(new LocalText(
            "空き家バンクの物件をお探しします。地域、賃貸か購入か、予算、間取り、「畑付き」「駅から歩ける」などの希望を、自由に入力してください。\n例: 「長野で月5万円以下の賃貸」「3LDK以上で築30年以内」",
            "I can search vacant-house listings. Type what you are looking for: place, rent or buy, budget, layout, features such as farmland or near a station.\nFor example: \"rent in Nagano under 50,000 yen\"."),
            CardAction.Say(turn.T("長野で月5万円以下の賃貸", "Rent in Nagano under 50,000 yen")),
            CardAction.Say(turn.T("畑付きの家", "A house with farmland")),
            CardAction.Say(turn.T("駅から歩ける古民家、予算300万円まで", "Kominka near a station, up to 3 million yen")),
            BotTexts.MenuButton(turn));
    }

    static List<CardAction> Suggestions(TurnContext turn, FlowFrame frame)
    {
        var filter = FilterOf(frame);
        var list = new List<CardAction>();
        if (frame.Step == ResultsStep && frame.Values.GetValueOrDefault("more") == "1")
            list.Add(CardAction.Command(turn.T("もっと見る", "More"), Commands.Answer, More));
        if (filter.MaxRent is not null || filter.MaxPrice is not null)
            list.Add(CardAction.Command(turn.T("もっと安く", "Cheaper"), Commands.Answer, Cheaper));
        if (filter.Deal != Deal.Rent)
            list.Add(CardAction.Command(turn.T("賃貸だけ", "Rent only"), Commands.Answer, RentOnly));
        if (filter.Deal != Deal.Sale)
            list.Add(CardAction.Command(turn.T("購入だけ", "Buy only"), Commands.Answer, BuyOnly));
        if (!filter.IsEmpty)
            list.Add(CardAction.Command(turn.T("条件をリセット", "Reset"), Commands.Answer, Reset));
        list.Add(BotTexts.MenuButton(turn));
        return list;
    }

    static ListingFilter FilterOf(FlowFrame frame) =>
        frame.Values.TryGetValue("filter", out var json) ? JsonSerializer.Deserialize<ListingFilter>(json, ListingFilter.Json) ?? new() : new();

    static void Save(FlowFrame frame, ListingFilter filter) => frame.Values["filter"] = JsonSerializer.Serialize(filter, ListingFilter.Json);

    static int Offset(FlowFrame frame) => int.TryParse(frame.Values.GetValueOrDefault("offset"), out var o) && o >= 0 ? o : 0;
}
