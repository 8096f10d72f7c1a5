using System.Text.Json.Nodes;

namespace FastHook.KubeEmulator.Http;

/// <summary>
/// A request failure that the emulator sends to the client as a metav1 Status body with the given HTTP code.
/// </summary>
internal sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, StatusDetails? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    /// <summary>The metav1 StatusReason, such as NotFound, Conflict or Invalid.</summary>
    public string Reason { get; }

    public StatusDetails? Details { get; }

    /// <summary>Builds the Status object the real API server sends for this failure.</summary>
    public JsonObject ToStatus() => StatusObjects.Failure(Code, Reason, Message, Details);
}

/// <summary>
/// The details part of a Status: which object failed and, for validation failures, one cause per field.
/// </summary>
internal sealed record StatusDetails(string? Name, string Group, string Kind, IReadOnlyList<StatusCause>? Causes = null);

/// <summary>
/// One cause of a failure: the metav1 CauseType (such as FieldValueRequired), a message and the field path.
/// </summary>
internal sealed record StatusCause(string Reason, string Message, string Field);
