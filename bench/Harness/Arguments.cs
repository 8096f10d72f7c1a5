using System.Globalization;

namespace FastHook.Bench;

/// <summary>
/// Parsed "--name value" options of a command line. Names may repeat; a name with no value that follows is a flag.
/// </summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public Arguments(IEnumerable<string> args)
    {
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
                if (!_values.ContainsKey(name))
                {
                    _values[name] = [];
                }

                continue;
            }

            if (name is null)
            {
                throw new ArgumentException($"Unexpected argument '{arg}': options are written as --name value.");
            }

            _values[name].Add(arg);
            name = null;
        }
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var values) ? values : [];

    public string? Optional(string name) => All(name) is [.., var last] ? last : null;

    public string Required(string name) =>
        Optional(name) ?? throw new ArgumentException($"Missing option --{name}.");

    public double Number(string name, double fallback)
    {
        var text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"Invalid --{name} '{text}': expected a number.");
    }
}
