namespace FrontDesk.Testing;

public static class RepositoryRoot
{
    /// <summary>The folder holding FrontDesk.sln, found from the test binaries upwards.</summary>
    public static string Path { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "FrontDesk.sln")))
                return dir.FullName;
        throw new InvalidOperationException("FrontDesk.sln not found above " + AppContext.BaseDirectory);
    }
}
