using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace FastHook.Gateway.Management;

/// <summary>
/// Bearer-token protection of the admin API. Without a token the API answers only on loopback addresses.
/// </summary>
public static class AdminAuthentication
{
    /// <summary>
    /// Returns null when the request may use the admin API, otherwise the status and message to answer with.
    /// </summary>
    public static (int Status, string Message)? Check(HttpContext context, string? token)
    {
        if (token is null)
        {
            var remote = context.Connection.RemoteIpAddress;
            return remote is null || IPAddress.IsLoopback(remote)
                ? null
                : (StatusCodes.Status403Forbidden, "The admin API answers only on loopback without a token: start the gateway with --admin-token-file.");
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return (StatusCodes.Status401Unauthorized, "The admin API requires the header Authorization: Bearer <token>.");
        }

        var received = Encoding.UTF8.GetBytes(header[scheme.Length..].Trim());
        var expected = Encoding.UTF8.GetBytes(token);
        return received.Length == expected.Length && CryptographicOperations.FixedTimeEquals(received, expected)
            ? null
            : (StatusCodes.Status401Unauthorized, "The admin token is wrong.");
    }

    /// <summary>Returns true when every address in <paramref name="urls"/> is a loopback address.</summary>
    public static bool IsLoopbackOnly(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                return false;
            }

            var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
            if (!loopback)
            {
                return false;
            }
        }

        return true;
    }
}
