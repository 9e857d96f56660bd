namespace FrontDesk.Knowledge.Search;

// Holds the live snapshot. Swap publishes a new one atomically; queries already running keep
// the snapshot they started on, which closes once the last of them finishes.
public sealed class KnowledgeIndex(IndexSnapshot initial) : IDisposable
{
    private IndexSnapshot current = initial;

    public long Version => Volatile.Read(ref current).SnapshotVersion;

    public SearchResult Search(string? question, int top = 5)
    {
        using var lease = Acquire();
        return lease.Snapshot.Search(question, top);
    }

    public SnapshotLease Acquire()
    {
        while (true)
        {
            var snapshot = Volatile.Read(ref current);
            if (snapshot.TryAcquire())
            {
                return new SnapshotLease(snapshot);
            }
        }
    }

    // Takes ownership of next; the replaced snapshot is released.
    public void Swap(IndexSnapshot next)
    {
        var old = Interlocked.Exchange(ref current, next);
        if (!ReferenceEquals(old, next))
        {
            old.Release();
        }
    }

    public void Dispose() => Volatile.Read(ref current).Release();
}

public readonly struct SnapshotLease(IndexSnapshot snapshot) : IDisposable
{
    public IndexSnapshot Snapshot { get; } = snapshot;

    public void Dispose() => Snapshot.Release();
}
