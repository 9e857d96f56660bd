using FrontDesk.Knowledge.Text;

namespace FrontDesk.Bot.Conversations;

/// <summary>One turn: the inbound activity, the state to change, and the replies to send once the state is saved.</summary>
public sealed class TurnContext(ConversationAddress address, Activity inbound, ConversationState state, DateTimeOffset now)
{
    readonly List<Activity> outbound = [];
    readonly HashSet<Activity> privateOutbound = new(ReferenceEqualityComparer.Instance);

    public ConversationAddress Address { get; } = address;
    public Activity Inbound { get; } = inbound;
    public ConversationState State { get; } = state;
    public DateTimeOffset Now { get; } = now;
    public IReadOnlyList<Activity> Outbound => outbound;
    public List<TranscriptEntry> Transcript { get; } = [];

    /// <summary>"ja" unless the user chose English or is writing in it.</summary>
    public string Language => State.Language ?? (string.IsNullOrWhiteSpace(Inbound.Text) ? TextLanguage.Japanese : TextLanguage.Detect(Inbound.Text));

    public string T(LocalText text) => text.For(Language);
    public string T(string ja, string en) => Language == "en" ? en : ja;

    public void Send(Activity activity) => outbound.Add(activity with { Timestamp = Now });

    /// <summary>
    /// Set by a flow whose input is personal data (a registration form): the transcript keeps this placeholder
    /// instead of what the user sent.
    /// </summary>
    public string? PrivateInput { get; set; }

    /// <summary>Sends a reply that repeats personal data (a form's summary): delivered, but kept out of the transcript.</summary>
    public void SayPrivately(LocalText text, params IReadOnlyList<CardAction> suggestions)
    {
        var activity = new Activity { Text = T(text), SuggestedActions = suggestions, Timestamp = Now };
        outbound.Add(activity);
        privateOutbound.Add(activity);
    }

    public bool IsPrivate(Activity activity) => privateOutbound.Contains(activity);

    public void Say(LocalText text, params IReadOnlyList<CardAction> suggestions) =>
        Send(new Activity { Text = T(text), SuggestedActions = suggestions });

    public void Say(string ja, string en, params IReadOnlyList<CardAction> suggestions) => Say(new LocalText(ja, en), suggestions);

    /// <summary>Replaces everything queued so far, e.g. when a failing turn must only apologise.</summary>
    public void ClearOutbound()
    {
        outbound.Clear();
        privateOutbound.Clear();
    }
}

/// <summary>A bot sentence in Japanese and English; Japanese is the default.</summary>
public sealed record LocalText(string Ja, string En)
{
    public string For(string language) => language == "en" ? En : Ja;
}
