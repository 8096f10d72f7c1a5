using FastHook.KubeEmulator.Http;

namespace FastHook.KubeEmulator.Selectors;

/// <summary>
/// A parsed labelSelector query parameter: equality (=, ==, !=), set (in, notin) and existence (key, !key)
/// requirements, all of which must match.
/// </summary>
internal sealed class LabelSelector
{
    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements)
    {
        _requirements = requirements;
    }

    public static LabelSelector Everything { get; } = new([]);

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r.Matches(labels));

    /// <summary>Parses the selector syntax kubectl and the client libraries send. Throws a 400 ApiException when it is malformed.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var reader = new SelectorReader(text);
        var requirements = new List<Requirement>();
        while (true)
        {
            requirements.Add(ReadRequirement(reader, text));
            reader.SkipSpaces();
            if (reader.AtEnd)
            {
                return new LabelSelector(requirements);
            }

            reader.Expect(',', text);
        }
    }

    private static Requirement ReadRequirement(SelectorReader reader, string text)
    {
        reader.SkipSpaces();
        if (reader.TryConsume('!'))
        {
            return new Requirement(reader.ReadToken(text), Operator.DoesNotExist, []);
        }

        var key = reader.ReadToken(text);
        reader.SkipSpaces();

        if (reader.AtEnd || reader.Peek == ',')
        {
            return new Requirement(key, Operator.Exists, []);
        }

        if (reader.TryConsume("!="))
        {
            return new Requirement(key, Operator.NotEquals, [reader.ReadValue()]);
        }

        if (reader.TryConsume("=="))
        {
            return new Requirement(key, Operator.Equals, [reader.ReadValue()]);
        }

        if (reader.TryConsume('='))
        {
            return new Requirement(key, Operator.Equals, [reader.ReadValue()]);
        }

        var word = reader.ReadToken(text);
        var op = word switch
        {
            "in" => Operator.In,
            "notin" => Operator.NotIn,
            _ => throw ApiErrors.BadRequest(
                $"unable to parse requirement in labelSelector \"{text}\": unknown operator \"{word}\" after \"{key}\"; use =, ==, !=, in or notin"),
        };
        return new Requirement(key, op, reader.ReadValueSet(text));
    }

    private enum Operator
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, Operator Operator, IReadOnlyList<string> Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var present = labels.TryGetValue(Key, out var value);
            return Operator switch
            {
                Operator.Exists => present,
                Operator.DoesNotExist => !present,
                Operator.Equals or Operator.In => present && Values.Contains(value),
                Operator.NotEquals or Operator.NotIn => !present || !Values.Contains(value),
                _ => false,
            };
        }
    }
}
