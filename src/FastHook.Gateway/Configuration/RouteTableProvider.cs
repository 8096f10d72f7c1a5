using System.Security.Cryptography;
using System.Text;
using FastHook.Api.Manifests;
using FastHook.Gateway.Storage;
using Microsoft.Extensions.Logging;

namespace FastHook.Gateway.Configuration;

/// <summary>
/// Holds the current <see cref="RouteTable"/> and replaces it when the manifest files change.
/// A change with errors is logged and ignored, so a bad edit never stops a running gateway.
/// </summary>
public sealed partial class RouteTableProvider(GatewayOptions options, RedisKeys keys, TimeProvider clock, ILogger<RouteTableProvider> logger)
{
    private RouteTable _current = RouteTable.Empty;
    private string _fingerprint = "";

    public RouteTable Current => Volatile.Read(ref _current);

    /// <summary>Raised after a new table is in place.</summary>
    public event Action<RouteTable>? Changed;

    /// <summary>
    /// Loads the manifests for the first time. Throws <see cref="ManifestException"/> listing every problem.
    /// </summary>
    public void LoadInitial()
    {
        _fingerprint = Fingerprint();
        var set = ManifestLoader.LoadAndValidate(options.ManifestPaths);
        Volatile.Write(ref _current, RouteTableBuilder.Build(set, keys, clock));
        Log.Loaded(logger, _current.Sources.Count, _current.Destinations.Count, _current.Connections.Count);
    }

    /// <summary>
    /// Reloads when any manifest file changed since the last load; returns true when a new table is in place.
    /// </summary>
    public bool ReloadIfChanged()
    {
        var fingerprint = Fingerprint();
        if (fingerprint == _fingerprint)
        {
            return false;
        }

        _fingerprint = fingerprint;
        try
        {
            var set = ManifestLoader.LoadAndValidate(options.ManifestPaths);
            Volatile.Write(ref _current, RouteTableBuilder.Build(set, keys, clock));
        }
        catch (ManifestException exception)
        {
            Log.ReloadRejected(logger, exception.Message);
            return false;
        }

        Log.Reloaded(logger, _current.Sources.Count, _current.Destinations.Count, _current.Connections.Count);
        Changed?.Invoke(_current);
        return true;
    }

    /// <summary>
    /// Validates manifests read from somewhere other than files (the Kubernetes API) and puts their table in place.
    /// A set with errors is logged and ignored, except the first, which throws <see cref="ManifestException"/>.
    /// </summary>
    public bool Apply(ManifestSet set, List<ManifestError> errors, bool initial)
    {
        errors.AddRange(ManifestValidator.Validate(set));
        if (errors.Count > 0)
        {
            var exception = new ManifestException(errors);
            if (initial)
            {
                throw exception;
            }

            Log.ReloadRejected(logger, exception.Message);
            return false;
        }

        var table = RouteTableBuilder.Build(set, keys, clock);
        Volatile.Write(ref _current, table);
        if (initial)
        {
            Log.Loaded(logger, table.Sources.Count, table.Destinations.Count, table.Connections.Count);
        }
        else
        {
            Log.Reloaded(logger, table.Sources.Count, table.Destinations.Count, table.Connections.Count);
            Changed?.Invoke(table);
        }

        return true;
    }

    /// <summary>
    /// Replaces the table directly, for hosts that build it from something other than files.
    /// </summary>
    public void Replace(RouteTable table)
    {
        Volatile.Write(ref _current, table);
        Changed?.Invoke(table);
    }

    /// <summary>
    /// Hashes the names and contents of every manifest file. Contents, not timestamps, because a mounted
    /// ConfigMap changes by swapping a link while the files it shows keep their own times.
    /// </summary>
    private string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in options.ManifestPaths)
        {
            var files = Directory.Exists(path) ? ManifestLoader.EnumerateVisibleFiles(path) : [path];
            foreach (var file in files)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
                try
                {
                    hash.AppendData(File.ReadAllBytes(file));
                }
                catch (IOException)
                {
                    hash.AppendData("missing"u8);
                }
                catch (UnauthorizedAccessException)
                {
                    hash.AppendData("unreadable"u8);
                }
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Loaded manifests: {Sources} sources, {Destinations} destinations, {Connections} connections")]
        public static partial void Loaded(ILogger logger, int sources, int destinations, int connections);

        [LoggerMessage(2, LogLevel.Information, "Reloaded changed manifests: {Sources} sources, {Destinations} destinations, {Connections} connections")]
        public static partial void Reloaded(ILogger logger, int sources, int destinations, int connections);

        [LoggerMessage(3, LogLevel.Error, "Ignored changed manifests, the previous configuration stays in force. {Problems}")]
        public static partial void ReloadRejected(ILogger logger, string problems);
    }
}
