namespace FastHook.Api.Schema;

/// <summary>
/// Regular expressions used by the resource types' <c>[RegularExpression]</c> attributes. Each accepts what the
/// gateway's manifest validator accepts, written in the syntax Go's regexp (the API server) and .NET share.
/// </summary>
public static class SchemaPatterns
{
    /// <summary>An HTTP header name: one or more token characters (RFC 9110, section 5.6.2).</summary>
    public const string HeaderName = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

    /// <summary>
    /// An absolute http or https URL with a host. The scheme is matched without regard to case, as URI schemes are.
    /// </summary>
    public const string HttpUrl = @"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+([/?#].*)?$";

    /// <summary>An absolute http or https URL with a host and without a query string or fragment.</summary>
    public const string HttpUrlWithoutQuery = @"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+(/[^?#]*)?$";

    /// <summary>A Kubernetes object name (RFC 1123 subdomain); the length limit of 253 is a separate attribute.</summary>
    public const string ObjectName = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A key of a Secret's data, as Kubernetes allows it.</summary>
    public const string SecretKey = @"^[-._a-zA-Z0-9]+$";
}
