using System.Globalization;
using StackExchange.Redis;

namespace FastHook.Gateway.Storage;

/// <summary>
/// Turns redis:// and rediss:// URLs (user, password, database) into StackExchange.Redis options.
/// </summary>
public static class RedisUrl
{
    /// <summary>
    /// Parses <paramref name="url"/>, such as "redis://:password@127.0.0.1:6379/0" or "rediss://user:password@redis:6380".
    /// Throws <see cref="FormatException"/> with a message that never includes the password.
    /// </summary>
    public static ConfigurationOptions Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "redis" && uri.Scheme != "rediss"))
        {
            throw new FormatException("The Redis URL is invalid: use redis://[user:password@]host[:port][/database], or rediss:// for TLS.");
        }

        var options = new ConfigurationOptions
        {
            Ssl = uri.Scheme == "rediss",
            AbortOnConnectFail = false,
            ClientName = "fasthook",

            // Reconnect quickly after an outage; ingest answers 503 until the connection is back.
            ReconnectRetryPolicy = new ExponentialRetry(250, 5000),
        };

        var port = uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port;
        options.EndPoints.Add(uri.Host, port);

        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = separator < 0 ? uri.UserInfo : uri.UserInfo[..separator];
            var password = separator < 0 ? null : uri.UserInfo[(separator + 1)..];
            if (user.Length > 0)
            {
                options.User = Uri.UnescapeDataString(user);
            }

            if (password is { Length: > 0 })
            {
                options.Password = Uri.UnescapeDataString(password);
            }
        }

        var database = uri.AbsolutePath.Trim('/');
        if (database.Length > 0)
        {
            if (!int.TryParse(database, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                throw new FormatException($"The Redis URL names the database \"{database}\": use a number, such as /0.");
            }

            options.DefaultDatabase = index;
        }

        return options;
    }

    /// <summary>
    /// Returns <paramref name="url"/> with any password replaced by "***", safe to log.
    /// </summary>
    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0)
        {
            return url;
        }

        var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        var user = separator < 0 ? uri.UserInfo : uri.UserInfo[..separator];
        return $"{uri.Scheme}://{user}:***@{uri.Authority[(uri.Authority.IndexOf('@', StringComparison.Ordinal) + 1)..]}{uri.PathAndQuery}";
    }
}
