using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace FastHook.Api.Schema;

/// <summary>
/// Builds the OpenAPI v3 structural schema of a C# type by reflection over its JSON contract, so that property
/// names and nesting are the ones the manifest loader reads, and translates the schema attributes of each property.
/// </summary>
/// <remarks>
/// Attributes read on a property: <see cref="DescriptionAttribute"/>, <see cref="RequiredAttribute"/> (a required
/// string must also be non-empty, as in DataAnnotations), <see cref="RegularExpressionAttribute"/>,
/// <see cref="RangeAttribute"/>, <see cref="MinLengthAttribute"/> and <see cref="MaxLengthAttribute"/> (length of
/// a string, items of a list, entries of a map), and the <c>Crd*</c> attributes of this namespace. On a list, the
/// attributes that describe a value (enum, pattern, duration, range) apply to each item. On a class, the generator
/// reads <see cref="DescriptionAttribute"/> and <see cref="CrdValidationAttribute"/>.
/// </remarks>
public static class SchemaGenerator
{
    /// <summary>The serializer defaults the manifest loader uses: camelCase property names.</summary>
    private static readonly JsonSerializerOptions ContractOptions = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>
    /// Keywords in the order they are written, so that the output stays the same when attributes move.
    /// Keywords not listed here follow in ordinal order.
    /// </summary>
    private static readonly string[] KeywordOrder =
    [
        "description", "type", "format", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum",
        "minItems", "maxItems", "minProperties", "maxProperties", "default", "items", "properties",
        "additionalProperties", "required", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
        "x-kubernetes-preserve-unknown-fields", "x-kubernetes-validations",
    ];

    /// <summary>
    /// Returns the schema of <paramref name="type"/>. Throws <see cref="NotSupportedException"/> for a type or an
    /// attribute a structural schema cannot express, naming the property.
    /// </summary>
    public static JsonObject ForType(Type type)
    {
        var schema = Build(type, type.Name, []);
        Order(schema);
        return schema;
    }

    /// <summary>
    /// Puts the keywords of <paramref name="schema"/> and of every schema below it in <see cref="KeywordOrder"/>.
    /// </summary>
    public static void Order(JsonObject schema)
    {
        var entries = schema.ToList();
        schema.Clear();
        foreach (var (keyword, value) in entries.OrderBy(entry => RankOf(entry.Key)).ThenBy(entry => entry.Key, StringComparer.Ordinal))
        {
            schema[keyword] = value;
        }

        if (schema["items"] is JsonObject items)
        {
            Order(items);
        }

        if (schema["additionalProperties"] is JsonObject values)
        {
            Order(values);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (_, property) in properties)
            {
                Order((JsonObject)property!);
            }
        }
    }

    private static int RankOf(string keyword)
    {
        var rank = Array.IndexOf(KeywordOrder, keyword);
        return rank < 0 ? KeywordOrder.Length : rank;
    }

    private static JsonObject Build(Type type, string path, HashSet<Type> enclosing)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (ScalarSchema(underlying, path) is { } scalar)
        {
            return scalar;
        }

        var info = ContractOptions.GetTypeInfo(underlying);
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable => new JsonObject
            {
                ["type"] = "array",
                ["items"] = Build(info.ElementType!, path + "[]", enclosing),
            },
            JsonTypeInfoKind.Dictionary when info.KeyType == typeof(string) => new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = Build(info.ElementType!, path + "{}", enclosing),
            },
            JsonTypeInfoKind.Object => BuildObject(info, path, enclosing),
            _ => throw new NotSupportedException(
                $"{path} has the type {underlying.Name}, which the CRD schema generator cannot describe: use a string, number, boolean, "
                + "DateTimeOffset, list, string-keyed dictionary, JsonNode or a class of such properties."),
        };
    }

    /// <summary>
    /// Returns the schema of a type the serializer writes as one JSON value, or null for lists, maps and classes.
    /// </summary>
    private static JsonObject? ScalarSchema(Type type, string path)
    {
        if (type.IsEnum)
        {
            return EnumSchema(type);
        }

        if (type == typeof(TimeSpan))
        {
            throw new NotSupportedException($"{path} is a TimeSpan, which JSON writes as \"00:00:30\": use a string property with [CrdDuration], read with Durations.");
        }

        return type switch
        {
            _ when type == typeof(string) => new JsonObject { ["type"] = "string" },
            _ when type == typeof(bool) => new JsonObject { ["type"] = "boolean" },
            _ when type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort) =>
                new JsonObject { ["type"] = "integer", ["format"] = "int32" },
            _ when type == typeof(long) || type == typeof(uint) || type == typeof(ulong) => new JsonObject { ["type"] = "integer", ["format"] = "int64" },
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => new JsonObject { ["type"] = "number" },
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            _ when type == typeof(Guid) => new JsonObject { ["type"] = "string", ["format"] = "uuid" },
            _ when type == typeof(byte[]) => new JsonObject { ["type"] = "string", ["format"] = "byte" },
            _ when type == typeof(JsonObject) => new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
            _ when type == typeof(object) || type == typeof(JsonNode) || type == typeof(JsonElement) || type == typeof(JsonDocument) =>
                new JsonObject { ["x-kubernetes-preserve-unknown-fields"] = true },
            _ => null,
        };
    }

    /// <summary>
    /// Describes an enum as the serializer writes it: names when a string converter applies, numbers otherwise.
    /// </summary>
    private static JsonObject EnumSchema(Type type)
    {
        var values = Enum.GetValues(type).Cast<object>().Select(value => JsonSerializer.SerializeToNode(value, type, ContractOptions)!).ToList();
        var isString = values.Count > 0 && values[0].GetValueKind() == JsonValueKind.String;
        return new JsonObject
        {
            ["type"] = isString ? "string" : "integer",
            ["enum"] = new JsonArray([.. values]),
        };
    }

    private static JsonObject BuildObject(JsonTypeInfo info, string path, HashSet<Type> enclosing)
    {
        if (!enclosing.Add(info.Type))
        {
            throw new NotSupportedException($"{path} is a {info.Type.Name} inside a {info.Type.Name}: a structural schema cannot describe a recursive type.");
        }

        var schema = new JsonObject { ["type"] = "object" };
        if (info.Type.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Description;
        }

        var properties = new JsonObject();
        var required = new List<string>();
        foreach (var property in info.Properties.Where(property => property.Set is not null).OrderBy(property => property.Name, StringComparer.Ordinal))
        {
            properties[property.Name] = BuildProperty(property, $"{path}.{property.Name}", enclosing);
            if (property.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true)
            {
                required.Add(property.Name);
            }
        }

        if (properties.Count > 0)
        {
            schema["properties"] = properties;
        }

        if (required.Count > 0)
        {
            schema["required"] = StringArray(required);
        }

        foreach (var validation in info.Type.GetCustomAttributes<CrdValidationAttribute>(inherit: true))
        {
            AddValidation(schema, validation);
        }

        enclosing.Remove(info.Type);
        return schema;
    }

    private static JsonObject BuildProperty(JsonPropertyInfo property, string path, HashSet<Type> enclosing)
    {
        var schema = Build(property.PropertyType, path, enclosing);

        // Attributes that describe a value (enum, pattern, duration, range) apply to each item of a list.
        var valueSchema = schema["items"] as JsonObject ?? schema;

        foreach (var attribute in property.AttributeProvider?.GetCustomAttributes(inherit: true) ?? [])
        {
            switch (attribute)
            {
                case DescriptionAttribute description:
                    schema["description"] = description.Description;
                    break;
                case RequiredAttribute required:
                    if (TypeOf(schema) == "string" && !required.AllowEmptyStrings)
                    {
                        schema["minLength"] = 1;
                    }

                    break;
                case RegularExpressionAttribute expression:
                    valueSchema["pattern"] = expression.Pattern;
                    break;
                case RangeAttribute range:
                    valueSchema["minimum"] = NumberOf(range.Minimum, path);
                    valueSchema["maximum"] = NumberOf(range.Maximum, path);
                    break;
                case MinLengthAttribute minimum:
                    schema[LengthKeyword(schema, "min", path)] = minimum.Length;
                    break;
                case MaxLengthAttribute maximum:
                    schema[LengthKeyword(schema, "max", path)] = maximum.Length;
                    break;
                case CrdEnumAttribute allowed:
                    valueSchema["enum"] = StringArray(allowed.Values);
                    break;
                case CrdDurationAttribute:
                    valueSchema["pattern"] = CrdDurationAttribute.Pattern;
                    AddValidation(valueSchema, new CrdValidationAttribute(CrdDurationAttribute.MaximumRule, CrdDurationAttribute.MaximumMessage));
                    break;
                case CrdDefaultAttribute fallback:
                    schema["default"] = JsonSerializer.SerializeToNode(fallback.Value, fallback.Value.GetType(), ContractOptions);
                    break;
                case CrdValidationAttribute validation:
                    AddValidation(schema, validation);
                    break;
                case CrdListMapAttribute listMap:
                    schema["x-kubernetes-list-type"] = "map";
                    schema["x-kubernetes-list-map-keys"] = StringArray(listMap.Keys);
                    break;
                case ValidationAttribute other:
                    throw new NotSupportedException($"{path} has [{other.GetType().Name}], which the CRD schema generator does not translate: express the rule with the attributes listed on {nameof(SchemaGenerator)}.");
            }
        }

        return schema;
    }

    private static string? TypeOf(JsonObject schema) => schema["type"]?.GetValue<string>();

    /// <summary>
    /// Returns the length keyword for the schema's type: minLength for strings, minItems for lists and
    /// minProperties for maps (with <paramref name="bound"/> "max", the maximum ones).
    /// </summary>
    private static string LengthKeyword(JsonObject schema, string bound, string path) => TypeOf(schema) switch
    {
        "string" => bound + "Length",
        "array" => bound + "Items",
        "object" => bound + "Properties",
        var other => throw new NotSupportedException($"{path} has a length attribute, but its schema type is {other ?? "not set"}: use it on strings, lists and maps."),
    };

    // Each arm converts to JsonNode itself: a switch over int, long and double would otherwise widen all to double.
    private static JsonNode NumberOf(object bound, string path) => bound switch
    {
        int integer => JsonValue.Create(integer),
        long integer => JsonValue.Create(integer),
        double real => JsonValue.Create(real),
        _ => throw new NotSupportedException($"{path} has a [Range] bound of type {bound.GetType().Name}: use the int or double constructor."),
    };

    private static void AddValidation(JsonObject schema, CrdValidationAttribute validation)
    {
        if (schema["x-kubernetes-validations"] is not JsonArray validations)
        {
            validations = [];
            schema["x-kubernetes-validations"] = validations;
        }

        var rule = new JsonObject { ["rule"] = validation.Rule, ["message"] = validation.Message };
        if (validation.FieldPath is not null)
        {
            rule["fieldPath"] = validation.FieldPath;
        }

        validations.Add(rule);
    }

    private static JsonArray StringArray(IEnumerable<string> values) => new([.. values.Select(value => (JsonNode)JsonValue.Create(value))]);
}
