using FrontDesk.Bench;

return args switch
{
    ["engine", .. var rest] => await EngineBench.RunAsync(rest),
    ["eval", .. var rest] => await KnowledgeEval.RunAsync(rest),
    ["kiosk", .. var rest] => await KioskBench.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("Usage: FrontDesk.Bench engine [--turns N] [--conversations N] | kiosk [--questions N] [--conversations N] [--turns N] | eval --corpus DIR --questions FILE [--json] [--baseline]");
    return 2;
}
