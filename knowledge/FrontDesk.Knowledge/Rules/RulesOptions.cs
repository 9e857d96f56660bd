using System.ComponentModel.DataAnnotations;

namespace FrontDesk.Knowledge.Rules;

public sealed class RulesOptions
{
    public const string SectionName = "Rules";

    /// <summary>The rule folder; when empty, knowledge/content/rules is looked for upwards from the working and program folders.</summary>
    public string? Folder { get; set; }

    /// <summary>How often a host checks kb.rule_sets for a newer accepted set.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    public string? ResolveFolder(string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(Folder))
            return Path.GetFullPath(Folder, contentRoot);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "knowledge", "content", "rules");
                if (Directory.Exists(candidate))
                    return candidate;
            }
        return null;
    }
}
