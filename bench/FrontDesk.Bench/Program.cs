using FrontDesk.Bench;

return args switch
{
    ["engine", .. var rest] => await EngineBench.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("Usage: FrontDesk.Bench engine [--turns N] [--conversations N]");
    return 2;
}
