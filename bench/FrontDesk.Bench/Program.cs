using FrontDesk.Bench;

return args switch
{
    ["engine", .. var rest] => await EngineBench.RunAsync(rest),
    ["line", .. var rest] => await LineBench.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("Usage: FrontDesk.Bench engine [--turns N] [--conversations N]");
    Console.Error.WriteLine("       FrontDesk.Bench line [--senders N] [--webhooks N] [--seconds N] [--rate N]");
    return 2;
}
