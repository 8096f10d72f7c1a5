using System.CommandLine;
using System.Globalization;

namespace FastHook.Cli.Commands;

/// <summary>
/// Commands that inspect a running gateway and start retries and replays through its admin API.
/// </summary>
internal static class AdminCommands
{
    public const string AdminUrlVariable = "FASTHOOK_ADMIN_URL";
    public const string AdminTokenVariable = "FASTHOOK_ADMIN_TOKEN";

    private static readonly Option<string> AdminUrl = new("--admin-url")
    {
        Description = $"The gateway's management URL; default ${AdminUrlVariable}, else http://127.0.0.1:9090",
    };

    private static readonly Option<FileInfo> AdminTokenFile = new("--admin-token-file")
    {
        Description = $"File holding the admin API token; without it the token is read from ${AdminTokenVariable}, which holds the token itself",
    };

    private static readonly Option<int?> Limit = new("--limit") { Description = "Items per page (1 to 500; default 50)" };

    public static IEnumerable<Command> Create()
    {
        var source = new Option<string>("--source") { Description = "The source, as namespace/name", Required = true };
        var connection = new Option<string>("--connection") { Description = "The connection, as namespace/name", Required = true };
        var eventId = new Option<string>("--event") { Description = "The event id (evt_...)", Required = true };
        var before = new Option<string>("--before") { Description = "Continue after this id, the last one of the previous page" };
        var cursor = new Option<string>("--cursor") { Description = "The next value printed with the previous page" };
        var state = new Option<string>("--state") { Description = "Only events in this state: pending, scheduled, delivered, deadLettered" };

        yield return Build("requests", "List captured requests of a source, newest first", [source, before], parse =>
            (HttpMethod.Get, $"/api/v1/sources/{Path(parse.GetValue(source)!)}/requests{Query(("before", parse.GetValue(before)), ("limit", LimitText(parse)))}", null));

        yield return Build("events", "List events of a connection with their state, newest first", [connection, state, cursor], parse =>
            (HttpMethod.Get, $"/api/v1/connections/{Path(parse.GetValue(connection)!)}/events{Query(("state", parse.GetValue(state)), ("cursor", parse.GetValue(cursor)), ("limit", LimitText(parse)))}", null));

        yield return Build("event", "Show one event and its attempts", [connection, eventId], parse =>
            (HttpMethod.Get, $"/api/v1/connections/{Path(parse.GetValue(connection)!)}/events/{Uri.EscapeDataString(parse.GetValue(eventId)!)}", null));

        yield return Build("deadletters", "List dead letters of a connection, newest first", [connection, before], parse =>
            (HttpMethod.Get, $"/api/v1/connections/{Path(parse.GetValue(connection)!)}/deadletters{Query(("before", parse.GetValue(before)), ("limit", LimitText(parse)))}", null));

        yield return Build("retry", "Deliver one event again now, keeping its event id", [connection, eventId], parse =>
            (HttpMethod.Post, $"/api/v1/connections/{Path(parse.GetValue(connection)!)}/events/{Uri.EscapeDataString(parse.GetValue(eventId)!)}/retry", null));

        var replayName = new Option<string>("--name") { Description = "A unique name for the replay; a name runs once", Required = true };
        var replayState = new Option<string>("--state") { Description = "Which events: deadLettered, failed (dead-lettered or waiting for a retry) or all", Required = true };
        var from = TimeOption("--from", "Earliest receive time, ISO 8601 such as 2026-12-04T10:00:00Z (default: the beginning)");
        var to = TimeOption("--to", "Latest receive time, ISO 8601 such as 2026-12-04T11:00:00Z (default: now)");
        yield return Build("replay", "Replay a connection's events by time range and state", [connection, replayName, replayState, from, to], parse =>
            (HttpMethod.Post, $"/api/v1/connections/{Path(parse.GetValue(connection)!)}/replays",
                new { name = parse.GetValue(replayName), state = parse.GetValue(replayState), from = parse.GetValue(from), to = parse.GetValue(to) }));

        var optionalName = new Option<string>("--name") { Description = "Show only this replay" };
        yield return Build("replays", "Show the replays of a connection with their progress", [connection, optionalName], parse =>
            parse.GetValue(optionalName) is { } name
                ? (HttpMethod.Get, $"/api/v1/connections/{Path(parse.GetValue(connection)!)}/replays/{Uri.EscapeDataString(name)}", null)
                : (HttpMethod.Get, $"/api/v1/connections/{Path(parse.GetValue(connection)!)}/replays{Query(("limit", LimitText(parse)))}", null));
    }

    private static Command Build(string name, string description, Option[] options, Func<ParseResult, (HttpMethod Method, string Path, object? Body)> request)
    {
        var command = new Command(name, description);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.Options.Add(AdminUrl);
        command.Options.Add(AdminTokenFile);
        command.Options.Add(Limit);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var url = parse.GetValue(AdminUrl) ?? Environment.GetEnvironmentVariable(AdminUrlVariable) ?? "http://127.0.0.1:9090";
            if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl))
            {
                await Console.Error.WriteLineAsync($"--admin-url \"{url}\" is not an absolute URL, such as http://127.0.0.1:9090.");
                return ExitCodes.InvalidConfiguration;
            }

            string? token = Environment.GetEnvironmentVariable(AdminTokenVariable);
            if (parse.GetValue(AdminTokenFile) is { } file)
            {
                if (!file.Exists)
                {
                    await Console.Error.WriteLineAsync($"--admin-token-file: {file.FullName} does not exist.");
                    return ExitCodes.InvalidConfiguration;
                }

                token = (await File.ReadAllTextAsync(file.FullName, cancellationToken)).Trim();
            }

            var (method, path, body) = request(parse);
            using var client = new AdminClient(baseUrl, token);
            return await client.SendAsync(method, path, body, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    private static Option<DateTimeOffset?> TimeOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return time;
            }

            result.AddError($"{name} \"{text}\" is not a time: use ISO 8601, such as 2026-12-04T10:00:00Z");
            return null;
        },
    };

    private static string? LimitText(ParseResult parse) => parse.GetValue(Limit)?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Turns "namespace/name" into an escaped URL path; a bare name means the default namespace.</summary>
    private static string Path(string qualified)
    {
        var parts = qualified.Split('/', 2);
        return parts.Length == 2
            ? $"{Uri.EscapeDataString(parts[0])}/{Uri.EscapeDataString(parts[1])}"
            : $"default/{Uri.EscapeDataString(qualified)}";
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(parameter => parameter.Value is not null).Select(parameter => $"{parameter.Name}={Uri.EscapeDataString(parameter.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }
}
