using FastHook.KubeEmulator.Http;

namespace FastHook.KubeEmulator.Selectors;

/// <summary>
/// A cursor over label and field selector text.
/// </summary>
internal sealed class SelectorReader(string text)
{
    private int _position;

    public bool AtEnd => _position >= text.Length;

    public char Peek => text[_position];

    public void SkipSpaces()
    {
        while (!AtEnd && char.IsWhiteSpace(Peek))
        {
            _position++;
        }
    }

    public bool TryConsume(char expected)
    {
        if (!AtEnd && Peek == expected)
        {
            _position++;
            return true;
        }

        return false;
    }

    public bool TryConsume(string expected)
    {
        if (string.CompareOrdinal(text, _position, expected, 0, expected.Length) == 0)
        {
            _position += expected.Length;
            return true;
        }

        return false;
    }

    public void Expect(char expected, string selector)
    {
        if (!TryConsume(expected))
        {
            throw ApiErrors.BadRequest(
                $"unable to parse selector \"{selector}\": expected '{expected}' at position {_position}");
        }
    }

    /// <summary>Reads a label key or an operator word.</summary>
    public string ReadToken(string selector)
    {
        SkipSpaces();
        var start = _position;
        while (!AtEnd && IsTokenChar(Peek))
        {
            _position++;
        }

        if (_position == start)
        {
            throw ApiErrors.BadRequest(
                $"unable to parse selector \"{selector}\": expected a key at position {_position}");
        }

        return text[start.._position];
    }

    /// <summary>Reads a possibly empty value up to a comma, a closing parenthesis or the end.</summary>
    public string ReadValue()
    {
        SkipSpaces();
        var start = _position;
        while (!AtEnd && Peek != ',' && Peek != ')' && !char.IsWhiteSpace(Peek))
        {
            _position++;
        }

        return text[start.._position];
    }

    /// <summary>Reads "(a, b, c)".</summary>
    public List<string> ReadValueSet(string selector)
    {
        SkipSpaces();
        Expect('(', selector);
        var values = new List<string>();
        while (true)
        {
            values.Add(ReadValue());
            SkipSpaces();
            if (TryConsume(')'))
            {
                return values;
            }

            Expect(',', selector);
        }
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '_' or '-';
}
