using System.Net;
using System.Net.Sockets;

namespace FastHook.Bench.Orchestration;

/// <summary>
/// Free TCP ports on 127.0.0.1 for the servers of one run.
/// </summary>
internal static class Ports
{
    /// <summary>Returns a port the kernel just handed out and released, free at the time of the call.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
