using FastHook.KubeEmulator.Validation;

namespace FastHook.KubeEmulator.Catalog;

/// <summary>
/// One kind of object the emulator serves: its REST names, scope and the write rules the real API server
/// applies to it.
/// </summary>
internal sealed class ResourceType
{
    /// <summary>The API group, empty for the core group.</summary>
    public required string Group { get; init; }

    /// <summary>Served versions. The first is the preferred and storage version.</summary>
    public required IReadOnlyList<string> Versions { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public required bool Namespaced { get; init; }

    public string ListKind => Kind + "List";

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Whether the type has a status subresource, which splits status writes from the other writes.</summary>
    public bool HasStatusSubresource { get; init; }

    /// <summary>Whether the server keeps metadata.generation for this type, as it does for workloads and custom resources.</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>Whether the type comes from a CustomResourceDefinition.</summary>
    public bool IsCustom { get; init; }

    public NameRule NameRule { get; init; } = NameRule.DnsSubdomain;

    /// <summary>Field selector paths this type supports besides metadata.name and metadata.namespace.</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = [];

    /// <summary>Structural schemas by version, for custom resources only.</summary>
    public IReadOnlyDictionary<string, CustomResourceSchema> Schemas { get; init; } =
        new Dictionary<string, CustomResourceSchema>();

    public string StorageVersion => Versions[0];

    /// <summary>The "plural.group" form the API server uses in messages, or the bare plural for the core group.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The "Kind.group" form the API server uses in validation messages.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public string ApiVersion(string version) => Group.Length == 0 ? version : $"{Group}/{version}";

    public bool Serves(string version) => Versions.Contains(version, StringComparer.Ordinal);
}

/// <summary>
/// The name format the API server enforces for a type's metadata.name.
/// </summary>
internal enum NameRule
{
    /// <summary>RFC 1123 subdomain: lower-case alphanumerics, '-' and '.', at most 253 characters.</summary>
    DnsSubdomain,

    /// <summary>RFC 1123 label: lower-case alphanumerics and '-', at most 63 characters.</summary>
    DnsLabel,

    /// <summary>RFC 1035 label: as an RFC 1123 label, but starting with a letter.</summary>
    Dns1035Label,
}
