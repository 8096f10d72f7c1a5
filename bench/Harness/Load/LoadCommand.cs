namespace FastHook.Bench.Load;

/// <summary>
/// The "load" command: one fixed-rate run from command-line options.
/// </summary>
internal static class LoadCommand
{
    public static LoadResult Run(Arguments arguments)
    {
        var targets = arguments.All("url").Select(url => new Uri(url, UriKind.Absolute)).ToList();
        if (targets.Count == 0)
        {
            throw new ArgumentException("Missing option --url: pass one or more http://127.0.0.1:PORT/path targets.");
        }

        var rate = arguments.Number("rate", 0);
        if (rate <= 0)
        {
            throw new ArgumentException("Missing or invalid --rate: pass requests per second, greater than 0.");
        }

        var count = arguments.Optional("count") is null ? (long?)null : (long)arguments.Number("count", 0);
        var options = new LoadOptions
        {
            Targets = targets,
            Rate = rate,
            Duration = TimeSpan.FromSeconds(arguments.Number("duration", 10)),
            Count = count,
            Warmup = TimeSpan.FromSeconds(arguments.Number("warmup", 0)),
            Connections = (int)arguments.Number("connections", 64),
            BodySize = (int)arguments.Number("body-size", 1024),
            Secret = arguments.Required("secret"),
            StampEachRequest = arguments.Has("stamp"),
            RequestTimeout = TimeSpan.FromSeconds(arguments.Number("timeout", 10)),
        };

        return new FixedRateGenerator(options).Run();
    }
}
