using System.CommandLine;
using FastHook.Api;

namespace FastHook.Cli.Commands;

/// <summary>
/// Command-line options that take a duration such as "30s" or "5m".
/// </summary>
internal static class DurationOption
{
    public static Option<TimeSpan> Create(string name, string description, TimeSpan fallback) => new(name)
    {
        Description = description + $" (a duration such as 500ms, 30s or 5m; default {Durations.Format(fallback)})",
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Durations.TryParse(text, out var duration, out var error) && duration > TimeSpan.Zero)
            {
                return duration;
            }

            result.AddError($"{name}: {(error.Length > 0 ? error : $"\"{text}\" must be longer than zero")}");
            return fallback;
        },
    };
}
