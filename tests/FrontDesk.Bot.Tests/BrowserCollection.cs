using FrontDesk.Testing;

namespace FrontDesk.Bot.Tests;

/// <summary>The browser tests: one chromium for all of them; each test opens and closes its own contexts.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    public const string Name = "Browser";
}
