namespace FrontDesk.Bot.Conversations;

/// <summary>A choice on a form step; typed text matching its label or an alias counts as picking it.</summary>
public sealed record Choice(string Value, LocalText Label, params string[] Aliases);

/// <summary>What a step's parser reads: the button value or typed text, and the answers given so far.</summary>
public sealed record StepInput(string Text, IReadOnlyDictionary<string, string> Answers, DateTimeOffset Now);

public sealed record FormStep
{
    public required string Key { get; init; }
    /// <summary>Short name used in the confirmation summary and the edit list.</summary>
    public required LocalText Label { get; init; }
    public required LocalText Question { get; init; }
    /// <summary>The question as it reads with the answers so far (an address found from the postal code); else <see cref="Question"/>.</summary>
    public Func<IReadOnlyDictionary<string, string>, LocalText>? QuestionFor { get; init; }
    public IReadOnlyList<Choice> Choices { get; init; } = [];
    /// <summary>Several choices: a button toggles one, typed text names them all, 「選び終えた」 finishes. The answer is the values joined by ','.</summary>
    public bool Multiple { get; init; }
    /// <summary>Whether 「わからない」 is an acceptable answer.</summary>
    public bool AllowUnknown { get; init; }
    /// <summary>How to leave the step unanswered (「なし」, 「答えない」), stored as ""; null when it must be answered. May depend on other answers.</summary>
    public Func<IReadOnlyDictionary<string, string>, Choice?>? Skip { get; init; }
    /// <summary>Extra buttons for this step; they send <see cref="Commands.Answer"/> values that <see cref="ParseWith"/> reads.</summary>
    public Func<TurnContext, IReadOnlyDictionary<string, string>, IEnumerable<CardAction>>? Buttons { get; init; }
    /// <summary>Reads typed input; when absent (and no <see cref="ParseWith"/>), only the choices are accepted.</summary>
    public Func<string, StepAnswer>? Parse { get; init; }
    /// <summary>Reads typed input with the answers so far, for answers that depend on others.</summary>
    public Func<StepInput, StepAnswer>? ParseWith { get; init; }
}

public readonly record struct StepAnswer(string? Value, LocalText? Problem)
{
    /// <summary>Answers that no longer hold once this one is given (a new postal code clears the address); they are asked again.</summary>
    public IReadOnlyList<string> Clears { get; init; } = [];
    /// <summary>Corrected answers offered with a problem, e.g. 「軽井沢町」 for 「軽井沢市」; pressing one sends it as typed.</summary>
    public IReadOnlyList<string> Suggestions { get; init; } = [];

    public static StepAnswer Accept(string value, params IReadOnlyList<string> clears) => new(value, null) { Clears = clears };
    public static StepAnswer Reject(LocalText problem, params IReadOnlyList<string> suggestions) => new(null, problem) { Suggestions = suggestions };
}

/// <summary>
/// A questionnaire as a conversation: one question per turn, validation with friendly re-asking, 「戻る」 to the
/// previous question, 「わからない」 where allowed, several-choice steps, optional steps, a confirmation summary, and
/// editing any answer before it is submitted. Commands are never taken as answers.
/// Answers live in the frame unless the flow keeps them elsewhere (<see cref="LoadAnswersAsync"/>, <see cref="SaveAnswersAsync"/>):
/// a private form keeps them in an encrypted draft, and its input and replies stay out of the transcript.
/// </summary>
public abstract class FormFlow : Flow
{
    public const string UnknownValue = "unknown";
    public const string SkippedValue = "";
    // Button values; markers in the frame start with '_' so they never meet a step key.
    public const string BackValue = "_back", SubmitValue = "_yes", EditValue = "_edit", DoneValue = "_done", SkipValue = "_skip", HelpValue = "_help";
    const string ConfirmStep = "_confirm";
    const string EditStep = "_edit";
    const string EditingMarker = "_editing";
    // A several-choice step's selection while the person is still picking.
    const string PickingSuffix = "+";
    const int AttemptsBeforeHelp = 3;

    static readonly string[] BackTriggers = ["戻る", "もどる", "前へ", "前に戻る", "back", "previous"];
    static readonly string[] UnknownTriggers = ["わからない", "分からない", "わかりません", "分かりません", "不明", "未定", "unknown", "not sure", "don't know", "dont know", "i don't know"];
    static readonly string[] YesTriggers = ["はい", "ok", "yes", "y", "お願いします", "送信", "これでいい", "大丈夫", "submit"];
    static readonly string[] EditTriggers = ["修正", "修正する", "変更", "変更する", "直す", "edit", "change"];
    static readonly string[] DoneTriggers = ["選び終えた", "完了", "以上", "次へ", "これで", "done", "next"];
    // Asking for help is never an answer; 「わからない」 is an answer ("not sure") where a step allows it, never a call for help.
    static readonly string[] HelpTriggers = ["相談員に聞く", "手伝って", "help me"];

    protected abstract IReadOnlyList<FormStep> Steps { get; }

    /// <summary>Called after the user confirmed the summary. The frame is removed right after unless the flow already ended it.</summary>
    protected abstract Task CompleteAsync(TurnContext turn, FlowFrame frame, IReadOnlyDictionary<string, string> answers, CancellationToken ct);

    protected virtual LocalText? Intro => null;

    /// <summary>A private form collects personal data: input and replies stay out of the transcript (see <see cref="PrivateInput"/>).</summary>
    protected virtual bool IsPrivate => false;
    /// <summary>What the transcript keeps instead of the user's input while a private form is open.</summary>
    protected virtual string PrivateInput => TranscriptMiddleware.PrivateInputText;

    /// <summary>Whether each question offers 「相談員に聞く」 (<see cref="HelpAsync"/>).</summary>
    protected virtual bool OffersHelp => false;
    protected virtual Task HelpAsync(TurnContext turn, FlowFrame frame, IReadOnlyDictionary<string, string> answers, CancellationToken ct) => Task.CompletedTask;

    protected virtual LocalText ConfirmQuestion => new("この内容でよろしいですか？", "Is this correct?");
    protected virtual LocalText SubmitLabel => new("はい", "Yes");

    /// <summary>The answers so far, or null when they are gone (the flow has then said so and ended or restarted).</summary>
    protected virtual Task<Dictionary<string, string>?> LoadAnswersAsync(TurnContext turn, FlowFrame frame, CancellationToken ct) =>
        Task.FromResult<Dictionary<string, string>?>(frame.Values);

    /// <summary>Called after every change to the answers (the draft-save hook); frame answers need no saving.</summary>
    protected virtual Task SaveAnswersAsync(TurnContext turn, FlowFrame frame, Dictionary<string, string> answers, CancellationToken ct) => Task.CompletedTask;

    /// <summary>A question back when this answer contradicts another one already given; the step is then asked again.</summary>
    protected virtual LocalText? Contradiction(TurnContext turn, FlowFrame frame, string key, string value) => null;

    /// <summary>The summary lines; by default each step with its answer as the user chose it.</summary>
    protected virtual IEnumerable<(LocalText Label, LocalText Value)> SummaryLines(IReadOnlyDictionary<string, string> answers) =>
        Steps.Select(s => (s.Label, Display(s, answers.GetValueOrDefault(s.Key))));

    public override Task StartAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        if (Intro is { } intro)
            turn.Say(intro);
        return AskFirstAsync(turn, frame, new Dictionary<string, string>(), ct);
    }

    /// <summary>Begins the questions (after a flow's own preamble such as consent).</summary>
    protected Task AskFirstAsync(TurnContext turn, FlowFrame frame, Dictionary<string, string> answers, CancellationToken ct)
    {
        frame.Private = IsPrivate;
        frame.Step = Steps[0].Key;
        frame.Attempts = 0;
        Ask(turn, frame, Steps[0], answers);
        return Task.CompletedTask;
    }

    public override async Task ResumeAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        turn.Say($"「{Title.Ja}」の途中です。続きからどうぞ。", $"Let's continue with: {Title.En}.");
        if (await LoadAnswersAsync(turn, frame, ct) is { } answers)
            Reprompt(turn, frame, answers);
    }

    public override async Task ContinueAsync(TurnContext turn, FlowFrame frame, CancellationToken ct)
    {
        if (IsPrivate)
            turn.PrivateInput = PrivateInput;
        if (await LoadAnswersAsync(turn, frame, ct) is { } answers)
            await ContinueWithAsync(turn, frame, answers, ct);
    }

    /// <summary>Asks again where the person is: the current question, the summary or the edit list.</summary>
    protected void Reprompt(TurnContext turn, FlowFrame frame, IReadOnlyDictionary<string, string> answers)
    {
        if (frame.Step == ConfirmStep)
            Confirm(turn, answers);
        else if (frame.Step == EditStep)
            AskWhichToEdit(turn, answers);
        else
            Ask(turn, frame, Steps[Math.Max(0, IndexOf(frame.Step))], answers);
    }

    /// <summary>Goes to the first unanswered question, or the summary when every question is answered.</summary>
    protected void GoToFirstUnanswered(TurnContext turn, FlowFrame frame, IReadOnlyDictionary<string, string> answers)
    {
        frame.Private = IsPrivate;
        frame.Attempts = 0;
        if (Steps.FirstOrDefault(s => !Answered(s, answers)) is { } missing)
        {
            frame.Step = missing.Key;
            Ask(turn, frame, missing, answers);
            return;
        }
        frame.Step = ConfirmStep;
        Confirm(turn, answers);
    }

    /// <summary>Shows the edit list, e.g. to change an existing record that was loaded as answers.</summary>
    protected void StartEditing(TurnContext turn, FlowFrame frame, IReadOnlyDictionary<string, string> answers)
    {
        frame.Private = IsPrivate;
        frame.Step = EditStep;
        AskWhichToEdit(turn, answers);
    }

    async Task ContinueWithAsync(TurnContext turn, FlowFrame frame, Dictionary<string, string> answers, CancellationToken ct)
    {
        var input = turn.Inbound.Input;
        var typed = Phrases.Normalize(input);

        if (OffersHelp && (input == HelpValue || Phrases.Matches(typed, HelpTriggers)))
        {
            await HelpAsync(turn, frame, answers, ct);
            return;
        }

        if (frame.Step == ConfirmStep)
        {
            if (input == SubmitValue || Phrases.Matches(typed, [.. YesTriggers, Phrases.Normalize(SubmitLabel.Ja)]))
            {
                await CompleteAsync(turn, frame, answers, ct);
                End(turn, frame);
            }
            else if (input == EditValue || Phrases.Matches(typed, EditTriggers))
            {
                frame.Step = EditStep;
                AskWhichToEdit(turn, answers);
            }
            else
            {
                turn.Say(new LocalText($"「{SubmitLabel.Ja}」で確定、「修正する」で答えを直せます。", $"Choose \"{SubmitLabel.En}\" to confirm or \"Edit\" to change an answer."));
                Confirm(turn, answers);
            }
            return;
        }

        if (frame.Step == EditStep)
        {
            var target = Steps.FirstOrDefault(s => s.Key == input || Phrases.Normalize(s.Label.Ja) == typed || Phrases.Normalize(s.Label.En) == typed);
            if (target is null)
            {
                AskWhichToEdit(turn, answers);
                return;
            }
            frame.Values[EditingMarker] = "1";
            frame.Step = target.Key;
            frame.Attempts = 0;
            Ask(turn, frame, target, answers);
            return;
        }

        var index = IndexOf(frame.Step);
        if (index < 0)
        {
            GoToFirstUnanswered(turn, frame, answers);
            return;
        }
        var step = Steps[index];

        if (input == BackValue || Phrases.Matches(typed, BackTriggers))
        {
            var previous = Steps[Math.Max(0, index - 1)];
            frame.Step = previous.Key;
            frame.Attempts = 0;
            Ask(turn, frame, previous, answers);
            return;
        }

        if (step.Multiple && Toggle(step, input, answers))
        {
            await SaveAnswersAsync(turn, frame, answers, ct);
            Ask(turn, frame, step, answers);
            return;
        }

        var answer = Read(step, input, typed, answers, turn.Now);
        if (answer.Value is { } value && Contradiction(turn, frame, step.Key, value) is { } conflict)
            answer = StepAnswer.Reject(conflict);

        if (answer.Value is null)
        {
            frame.Attempts++;
            var problem = answer.Problem ?? new LocalText("選択肢からお選びください。", "Please pick one of the options.");
            var hint = OffersHelp
                ? new LocalText("\n難しい場合は「相談員に聞く」を押すか、「やめる」で中止できます。", "\nIf this is difficult, press \"Ask a coordinator\" or send \"cancel\".")
                : new LocalText("\n難しい場合は「やめる」で中止するか、「相談員と話したい」とお送りください。", "\nIf this is difficult, send \"cancel\" to stop or \"talk to a person\".");
            Say(turn, frame.Attempts >= AttemptsBeforeHelp ? new LocalText(problem.Ja + hint.Ja, problem.En + hint.En) : problem);
            Ask(turn, frame, step, answers, answer.Suggestions);
            return;
        }

        answers[step.Key] = answer.Value;
        answers.Remove(step.Key + PickingSuffix);
        foreach (var cleared in answer.Clears)
            answers.Remove(cleared);
        await SaveAnswersAsync(turn, frame, answers, ct);
        frame.Attempts = 0;
        // After an edit, anything the new answer cleared is asked before the summary comes back.
        if (frame.Values.ContainsKey(EditingMarker) || index == Steps.Count - 1)
        {
            if (Steps.All(s => Answered(s, answers)))
                frame.Values.Remove(EditingMarker);
            GoToFirstUnanswered(turn, frame, answers);
            return;
        }
        frame.Step = Steps[index + 1].Key;
        Ask(turn, frame, Steps[index + 1], answers);
    }

    /// <summary>Whether the step has an answer that still holds: a skip counts only while the step may be skipped.</summary>
    static bool Answered(FormStep step, IReadOnlyDictionary<string, string> answers) =>
        answers.TryGetValue(step.Key, out var value) && (value != SkippedValue || step.Multiple || step.Skip?.Invoke(answers) is not null);

    /// <summary>How an answer reads back to the user in the summary.</summary>
    protected LocalText Display(FormStep step, string? value)
    {
        if (value is null)
            return new("-", "-");
        if (value == UnknownValue)
            return new("わからない", "Not sure");
        if (value == SkippedValue)
            return step.Multiple ? new("なし", "None") : new("回答なし", "Not given");
        var chosen = Picked(step, value);
        if (chosen.Count == 0)
            return new(value, value);
        return new(string.Join("、", chosen.Select(c => c.Label.Ja)), string.Join(", ", chosen.Select(c => c.Label.En)));
    }

    protected string Display(TurnContext turn, FormStep step, string? value) => turn.T(Display(step, value));

    static List<Choice> Picked(FormStep step, string value)
    {
        var values = step.Multiple ? value.Split(',') : [value];
        return step.Choices.Where(c => values.Contains(c.Value)).ToList();
    }

    /// <summary>A pressed button of a several-choice step toggles its option; true when the input was one.</summary>
    static bool Toggle(FormStep step, string input, Dictionary<string, string> answers)
    {
        if (step.Choices.FirstOrDefault(c => c.Value == input) is not { } pressed)
            return false;
        var picked = Selection(step, answers);
        if (!picked.Remove(pressed.Value))
            picked.Add(pressed.Value);
        answers[step.Key + PickingSuffix] = string.Join(',', step.Choices.Select(c => c.Value).Where(picked.Contains));
        return true;
    }

    /// <summary>What a several-choice step has selected: the pending selection, else the answer given before.</summary>
    static List<string> Selection(FormStep step, IReadOnlyDictionary<string, string> answers) =>
        (answers.GetValueOrDefault(step.Key + PickingSuffix) ?? answers.GetValueOrDefault(step.Key) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries).Where(v => v != UnknownValue).ToList();

    static StepAnswer Read(FormStep step, string input, string typed, IReadOnlyDictionary<string, string> answers, DateTimeOffset now)
    {
        if (step.AllowUnknown && (input == UnknownValue || Phrases.Matches(typed, UnknownTriggers)))
            return StepAnswer.Accept(UnknownValue);
        if (step.Skip?.Invoke(answers) is { } skip && (input == SkipValue || Phrases.Matches(typed, [Phrases.Normalize(skip.Label.Ja), Phrases.Normalize(skip.Label.En), .. skip.Aliases.Select(Phrases.Normalize)])))
            return StepAnswer.Accept(SkippedValue);
        if (Phrases.Matches(typed, UnknownTriggers))
            return StepAnswer.Reject(new("この質問は「わからない」では進めません。分かる範囲で入力してください。",
                "This question needs an answer; \"not sure\" cannot be used here. Please answer as far as you can."));
        if (step.Multiple)
            return ReadSeveral(step, input, typed, answers);
        foreach (var choice in step.Choices)
        {
            if (input == choice.Value || Named(choice, typed, exact: true))
                return StepAnswer.Accept(choice.Value);
        }
        foreach (var choice in step.Choices)
        {
            if (choice.Aliases.Any(a => typed.Contains(Phrases.Normalize(a), StringComparison.Ordinal)))
                return StepAnswer.Accept(choice.Value);
        }
        if (step.ParseWith is { } parseWith)
            return parseWith(new StepInput(input, answers, now));
        return step.Parse is { } parse ? parse(input) : StepAnswer.Reject(new("選択肢からお選びください。", "Please pick one of the options."));
    }

    /// <summary>「選び終えた」 takes the selection; typed text takes every option it names.</summary>
    static StepAnswer ReadSeveral(FormStep step, string input, string typed, IReadOnlyDictionary<string, string> answers)
    {
        if (input == DoneValue || Phrases.Matches(typed, DoneTriggers))
        {
            var picked = Selection(step, answers);
            if (picked.Count == 0 && step.Skip?.Invoke(answers) is null)
                return StepAnswer.Reject(new("1つ以上選んでから「選び終えた」を押してください。", "Please choose at least one, then press \"Done\"."));
            return StepAnswer.Accept(string.Join(',', picked));
        }
        var named = step.Choices.Where(c => Named(c, typed, exact: false)).Select(c => c.Value).ToList();
        return named.Count > 0
            ? StepAnswer.Accept(string.Join(',', named))
            : StepAnswer.Reject(new("選択肢のボタンから選ぶか、「出身、観光」のように入力してください。", "Please press the options, or type them, e.g. \"tourism, other\"."));
    }

    static bool Named(Choice choice, string typed, bool exact)
    {
        if (typed.Length == 0)
            return false;
        var names = new[] { choice.Label.Ja, choice.Label.En }.Select(Phrases.Normalize);
        return exact
            ? names.Contains(typed)
            : names.Concat(choice.Aliases.Select(Phrases.Normalize)).Any(n => n.Length > 0 && typed.Contains(n, StringComparison.Ordinal));
    }

    int IndexOf(string? key)
    {
        for (var i = 0; i < Steps.Count; i++)
            if (Steps[i].Key == key)
                return i;
        return -1;
    }

    void Say(TurnContext turn, LocalText text, params IReadOnlyList<CardAction> actions)
    {
        if (IsPrivate)
            turn.SayPrivately(text, actions);
        else
            turn.Say(text, actions);
    }

    void Ask(TurnContext turn, FlowFrame frame, FormStep step, IReadOnlyDictionary<string, string> answers, IReadOnlyList<string>? suggestions = null)
    {
        var actions = new List<CardAction>();
        var question = step.QuestionFor?.Invoke(answers) ?? step.Question;
        if (suggestions is not null)
            actions.AddRange(suggestions.Select(s => CardAction.Say(s)));
        if (step.Multiple)
        {
            var picked = Selection(step, answers);
            actions.AddRange(step.Choices.Select(c => CardAction.Command((picked.Contains(c.Value) ? "✓ " : "") + turn.T(c.Label), Commands.Answer, c.Value)));
            actions.Add(CardAction.Command(turn.T("選び終えた", "Done"), Commands.Answer, DoneValue));
            var shown = Display(step, string.Join(',', picked));
            question = new LocalText(question.Ja + $"\n選択中: {(picked.Count == 0 ? "なし" : shown.Ja)}", question.En + $"\nSelected: {(picked.Count == 0 ? "none" : shown.En)}");
        }
        else
            actions.AddRange(step.Choices.Select(c => CardAction.Command(turn.T(c.Label), Commands.Answer, c.Value)));
        if (step.Buttons is { } buttons)
            actions.AddRange(buttons(turn, answers));
        if (step.Skip?.Invoke(answers) is { } skip)
            actions.Add(CardAction.Command(turn.T(skip.Label), Commands.Answer, SkipValue));
        if (step.AllowUnknown)
            actions.Add(CardAction.Command(turn.T("わからない", "Not sure"), Commands.Answer, UnknownValue));
        if (IndexOf(step.Key) > 0 && !frame.Values.ContainsKey(EditingMarker))
            actions.Add(CardAction.Command(turn.T("戻る", "Back"), Commands.Answer, BackValue));
        // A LINE quick reply holds 13 buttons: a several-choice step leaves help to the other questions.
        if (OffersHelp && !step.Multiple)
            actions.Add(CardAction.Command(turn.T("相談員に聞く", "Ask a coordinator"), Commands.Answer, HelpValue));
        actions.Add(BotTexts.CancelButton(turn));
        var number = IndexOf(step.Key) + 1;
        Say(turn, new LocalText($"（{number}/{Steps.Count}）{question.Ja}", $"({number}/{Steps.Count}) {question.En}"), actions);
    }

    void Confirm(TurnContext turn, IReadOnlyDictionary<string, string> answers)
    {
        var lines = SummaryLines(answers).ToList();
        var ja = string.Join('\n', lines.Select(l => $"・{l.Label.Ja}: {l.Value.Ja}"));
        var en = string.Join('\n', lines.Select(l => $"・{l.Label.En}: {l.Value.En}"));
        var actions = new List<CardAction>
        {
            CardAction.Command(turn.T(SubmitLabel), Commands.Answer, SubmitValue),
            CardAction.Command(turn.T("修正する", "Edit"), Commands.Answer, EditValue),
        };
        if (OffersHelp)
            actions.Add(CardAction.Command(turn.T("相談員に聞く", "Ask a coordinator"), Commands.Answer, HelpValue));
        actions.Add(BotTexts.CancelButton(turn));
        Say(turn, new LocalText(ConfirmQuestion.Ja + "\n" + ja, ConfirmQuestion.En + "\n" + en), actions);
    }

    void AskWhichToEdit(TurnContext turn, IReadOnlyDictionary<string, string> answers)
    {
        var actions = Steps.Select(s => CardAction.Command(turn.T(s.Label), Commands.Answer, s.Key)).ToList();
        actions.Add(BotTexts.CancelButton(turn));
        turn.Say(new LocalText("どの項目を直しますか？", "Which answer would you like to change?"), actions);
    }
}
