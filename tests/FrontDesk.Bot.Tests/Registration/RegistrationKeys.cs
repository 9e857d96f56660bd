using System.Security.Cryptography;

namespace FrontDesk.Bot.Tests.Registration;

/// <summary>Registration settings for test hosts: fresh random keys per test run, as the environment would supply them.</summary>
public static class RegistrationKeys
{
    public static readonly string K1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string K2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string Index = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static Dictionary<string, string?> Settings(string active = "k1", bool withK1 = true, bool withK2 = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Registration:ActiveKey"] = active,
            ["Registration:IndexKey"] = Index,
            ["Registration:PublicBaseUrl"] = "https://frontdesk.example.jp",
        };
        if (withK1)
            settings["Registration:Keys:k1"] = K1;
        if (withK2)
            settings["Registration:Keys:k2"] = K2;
        return settings;
    }
}
