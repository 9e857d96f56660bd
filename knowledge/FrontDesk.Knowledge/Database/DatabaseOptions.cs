using System.ComponentModel.DataAnnotations;

namespace FrontDesk.Knowledge.Database;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations when a host starts (all hosts may do so; an advisory lock serialises them).</summary>
    public bool MigrateOnStart { get; set; } = true;
}
