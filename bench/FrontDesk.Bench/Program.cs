using FrontDesk.Bench;

return args switch
{
    ["engine", .. var rest] => await EngineBench.RunAsync(rest),
    ["eval", "dialogues", .. var rest] => await DialogueEval.RunAsync(rest),
    ["eval", .. var rest] => await KnowledgeEval.RunAsync(rest),
    ["search", .. var rest] => await SearchBench.RunAsync(rest),
    ["line", .. var rest] => await LineBench.RunAsync(rest),
    ["kiosk", .. var rest] => await KioskBench.RunAsync(rest),
    ["handoff", .. var rest] => await HandoffBench.RunAsync(rest),
    ["signin", .. var rest] => await SignInStormBench.RunAsync(rest),
    ["listings", .. var rest] => await ListingsBench.RunAsync(rest),
    ["eval-listings", .. var rest] => ListingsBench.Eval(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("Usage: FrontDesk.Bench engine [--turns N] [--conversations N] | search [PASSAGES] | eval --corpus DIR --questions FILE [--json] [--baseline]");
    Console.Error.WriteLine("       FrontDesk.Bench line [--senders N] [--webhooks N] [--seconds N] [--rate N] [--hang-percent N] [--warmup S] [--only one,paced,burst,faults]");
    Console.Error.WriteLine("       FrontDesk.Bench kiosk [--questions N] [--conversations N] [--turns N]");
    Console.Error.WriteLine("       FrontDesk.Bench handoff [--coordinators N] [--conversations N] [--seconds N] [--rate N]");
    Console.Error.WriteLine("       FrontDesk.Bench signin [--senders N] [--rate N] [--seconds N] [--sign-ins N] [--warmup S]");
    return 2;
}
