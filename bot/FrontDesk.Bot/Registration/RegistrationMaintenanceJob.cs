using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FrontDesk.Bot.Registration;

/// <summary>
/// Removes expired drafts and moves every encrypted value still under an older key to the active key (after a key
/// rotation). Idempotent: run it hourly, or by hand from the dashboard right after rotating.
/// </summary>
public sealed partial class RegistrationMaintenanceJob(RegistrationStore store, IOptions<RegistrationOptions> options, ILogger<RegistrationMaintenanceJob> logger)
{
    public const string JobId = "registration-maintenance";
    const int BatchSize = 500;

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<string> RunAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled)
            return "registration disabled";
        var purged = await store.PurgeExpiredDraftsAsync(ct);
        var moved = 0;
        for (var n = BatchSize; n > 0; moved += n)
            n = await store.ReEncryptAsync(BatchSize, ct);
        LogDone(purged, moved, options.Value.ActiveKey);
        return $"expired drafts removed: {purged}; values re-encrypted to key {options.Value.ActiveKey}: {moved}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registration maintenance: {Purged} expired drafts removed, {Moved} values re-encrypted to key {KeyId}")]
    partial void LogDone(int purged, int moved, string keyId);
}
