using FrontDesk.Bench;

return args switch
{
    ["engine", .. var rest] => await EngineBench.RunAsync(rest),
    ["eval", .. var rest] => await KnowledgeEval.RunAsync(rest),
    ["search", .. var rest] => await SearchBench.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("Usage: FrontDesk.Bench search [PASSAGES] | engine [--turns N] [--conversations N] | eval --corpus DIR --questions FILE [--json] [--baseline]");
    return 2;
}
