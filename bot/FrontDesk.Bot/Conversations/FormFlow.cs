namespace FrontDesk.Bot.Conversations;

/// <summary>A choice on a form step; typed text matching its label or an alias counts as picking it.</summary>
public sealed record Choice(string Value, LocalText Label, params string[] Aliases);

public sealed record FormStep
{
    public required string Key { get; init; }
    /// <summary>Short name used in the confirmation summary and the edit list.</summary>
    public required LocalText Label { get; init; }
    public required LocalText Question { get; init; }
    public IReadOnlyList<Choice> Choices { get; init; } = [];
    /// <summary>Whether 「わからない」 is an acceptable answer.</summary>
    public bool AllowUnknown { get; init; }
    /// <summary>Reads typed input; when absent, only the choices are accepted.</summary>
    public Func<string, StepAnswer>? Parse { get; init; }
}

public readonly record struct StepAnswer(string? Value, LocalText? Problem)
{
    public static StepAnswer Accept(string value) => new(value, null);
    public static StepAnswer Reject(LocalText problem) => new(null, problem);
}

/// <summary>
/// A questionnaire as a conversation: one question per turn, validation with friendly re-asking, 「戻る」 to the
/// previous question, 「わからない」 where allowed, a confirmation summary, and editing any answer before it is submitted.
/// </summary>
public abstract class FormFlow : Flow
{
    public const string UnknownValue = "unknown";
    const string ConfirmStep = "_confirm";
    const string EditStep = "_edit";
    const string EditingMarker = "_editing";
    const string Back = "_back";
    const string Yes = "_yes";
    const string Edit = "_edit";
    const int AttemptsBeforeHelp = 3;

    static readonly string[] BackTriggers = ["戻る", "もどる", "前へ", "前に戻る", "back", "previous"];
    static readonly string[] UnknownTriggers = ["わからない", "分からない", "わかりません", "分かりません", "不明", "未定", "unknown", "not sure", "don't know", "dont know", "i don't know"];
    static readonly string[] YesTriggers = ["はい", "ok", "yes", "y", "お願いします", "送信", "これでいい", "大丈夫", "submit"];
    static readonly string[] EditTriggers = ["修正", "修正する", "変更", "変更する", "直す", "edit", "change"];

    protected abstract IReadOnlyList<FormStep> Steps { get; }

    /// <summary>Called after the user confirmed the summary; the frame is removed right after.</summary>
    protected abstract Task CompleteAsync(TurnContext turn, FlowFrame frame, CancellationToken ct);

    protected virtual LocalText? Intro => null;

    /// <summary>A question back when this answer contradicts another one already given; the step is then asked again.</summary>
    protected virtual LocalText? Contradiction(TurnContext turn, FlowFrame frame, string key, string value) => null;

    public override Task StartAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        if (Intro is { } intro)
            turn.Say(intro);
        frame.Step = Steps[0].Key;
        Ask(turn, frame, Steps[0]);
        return Task.CompletedTask;
    }

    public override Task ResumeAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        turn.Say($"「{Title.Ja}」の途中です。続きからどうぞ。", $"Let's continue with: {Title.En}.");
        Reprompt(turn, frame);
        return Task.CompletedTask;
    }

    public override async Task ContinueAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        var input = turn.Inbound.Input;
        var typed = Phrases.Normalize(input);

        if (frame.Step == ConfirmStep)
        {
            if (input == Yes || Phrases.Matches(typed, YesTriggers))
            {
                await CompleteAsync(turn, frame, ct);
                End(turn, frame);
            }
            else if (input == Edit || Phrases.Matches(typed, EditTriggers))
            {
                frame.Step = EditStep;
                AskWhichToEdit(turn, frame);
            }
            else
            {
                turn.Say("「はい」で確定、「修正する」で答えを直せます。", "Choose \"Yes\" to confirm or \"Edit\" to change an answer.");
                Confirm(turn, frame);
            }
            return;
        }

        if (frame.Step == EditStep)
        {
            var target = Steps.FirstOrDefault(s => s.Key == input || Phrases.Normalize(s.Label.Ja) == typed || Phrases.Normalize(s.Label.En) == typed);
            if (target is null)
            {
                AskWhichToEdit(turn, frame);
                return;
            }
            frame.Values[EditingMarker] = "1";
            frame.Step = target.Key;
            Ask(turn, frame, target);
            return;
        }

        var index = IndexOf(frame.Step);
        if (index < 0)
        {
            frame.Step = Steps[0].Key;
            Ask(turn, frame, Steps[0]);
            return;
        }
        var step = Steps[index];

        if (input == Back || Phrases.Matches(typed, BackTriggers))
        {
            var previous = Steps[Math.Max(0, index - 1)];
            frame.Step = previous.Key;
            frame.Attempts = 0;
            Ask(turn, frame, previous);
            return;
        }

        var answer = step.AllowUnknown && (input == UnknownValue || Phrases.Matches(typed, UnknownTriggers))
            ? StepAnswer.Accept(UnknownValue)
            : Read(step, input, typed);

        if (answer.Value is { } value && Contradiction(turn, frame, step.Key, value) is { } conflict)
            answer = StepAnswer.Reject(conflict);

        if (answer.Value is null)
        {
            frame.Attempts++;
            var problem = answer.Problem ?? new LocalText("選択肢からお選びください。", "Please pick one of the options.");
            turn.Say(frame.Attempts >= AttemptsBeforeHelp
                ? new LocalText(problem.Ja + "\n難しい場合は「やめる」で中止するか、「相談員と話したい」とお送りください。",
                    problem.En + "\nIf this is difficult, send \"cancel\" to stop or \"talk to a person\".")
                : problem);
            Ask(turn, frame, step);
            return;
        }

        frame.Values[step.Key] = answer.Value;
        frame.Attempts = 0;
        if (frame.Values.Remove(EditingMarker) || index == Steps.Count - 1)
        {
            frame.Step = ConfirmStep;
            Confirm(turn, frame);
            return;
        }
        frame.Step = Steps[index + 1].Key;
        Ask(turn, frame, Steps[index + 1]);
    }

    /// <summary>How an answer reads back to the user in the summary.</summary>
    protected string Display(TurnContext turn, FormStep step, string? value)
    {
        if (value is null)
            return "-";
        if (value == UnknownValue)
            return turn.T("わからない", "Not sure");
        return step.Choices.FirstOrDefault(c => c.Value == value) is { } choice ? turn.T(choice.Label) : value;
    }

    static StepAnswer Read(FormStep step, string input, string typed)
    {
        foreach (var choice in step.Choices)
        {
            if (input == choice.Value || typed == Phrases.Normalize(choice.Label.Ja) || typed == Phrases.Normalize(choice.Label.En)
                || choice.Aliases.Any(a => typed.Contains(Phrases.Normalize(a), StringComparison.Ordinal)))
                return StepAnswer.Accept(choice.Value);
        }
        return step.Parse is { } parse ? parse(input) : StepAnswer.Reject(new("選択肢からお選びください。", "Please pick one of the options."));
    }

    int IndexOf(string? key)
    {
        for (var i = 0; i < Steps.Count; i++)
            if (Steps[i].Key == key)
                return i;
        return -1;
    }

    void Reprompt(TurnContext turn, FlowFrame frame)
    {
        if (frame.Step == ConfirmStep)
            Confirm(turn, frame);
        else if (frame.Step == EditStep)
            AskWhichToEdit(turn, frame);
        else
            Ask(turn, frame, Steps[Math.Max(0, IndexOf(frame.Step))]);
    }

    void Ask(TurnContext turn, FlowFrame frame, FormStep step)
    {
        var actions = new List<CardAction>();
        actions.AddRange(step.Choices.Select(c => CardAction.Command(turn.T(c.Label), Commands.Answer, c.Value)));
        if (step.AllowUnknown)
            actions.Add(CardAction.Command(turn.T("わからない", "Not sure"), Commands.Answer, UnknownValue));
        if (IndexOf(step.Key) > 0 && !frame.Values.ContainsKey(EditingMarker))
            actions.Add(CardAction.Command(turn.T("戻る", "Back"), Commands.Answer, Back));
        actions.Add(BotTexts.CancelButton(turn));
        var number = IndexOf(step.Key) + 1;
        turn.Say(new LocalText($"（{number}/{Steps.Count}）{step.Question.Ja}", $"({number}/{Steps.Count}) {step.Question.En}"), actions);
    }

    void Confirm(TurnContext turn, FlowFrame frame)
    {
        var lines = Steps.Select(s => $"・{turn.T(s.Label)}: {Display(turn, s, frame.Values.GetValueOrDefault(s.Key))}");
        turn.Say(new LocalText("この内容でよろしいですか？\n" + string.Join('\n', lines), "Is this correct?\n" + string.Join('\n', lines)),
            CardAction.Command(turn.T("はい", "Yes"), Commands.Answer, Yes),
            CardAction.Command(turn.T("修正する", "Edit"), Commands.Answer, Edit),
            BotTexts.CancelButton(turn));
    }

    void AskWhichToEdit(TurnContext turn, FlowFrame frame)
    {
        var actions = Steps.Select(s => CardAction.Command(turn.T(s.Label), Commands.Answer, s.Key)).ToList();
        actions.Add(BotTexts.CancelButton(turn));
        turn.Say(new LocalText("どの項目を直しますか？", "Which answer would you like to change?"), actions);
    }
}
