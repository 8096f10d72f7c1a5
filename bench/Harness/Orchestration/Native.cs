using System.Runtime.InteropServices;

namespace FastHook.Bench.Orchestration;

/// <summary>
/// libc calls the harness needs and .NET does not expose.
/// </summary>
internal static partial class Native
{
    public const int SigTerm = 15;

    /// <summary>Sends a signal to a process; .NET's Process.Kill only sends SIGKILL, which skips graceful shutdown.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
