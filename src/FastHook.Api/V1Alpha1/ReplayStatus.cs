using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FastHook.Api.Schema;

namespace FastHook.Api.V1Alpha1;

/// <summary>
/// The progress and result of one replay request, under the request's name in <c>status.replays</c>.
/// </summary>
[Description("The progress and result of one replay request.")]
public sealed class ReplayStatus
{
    [Description("The name of the replay request.")]
    [Required]
    public string? Name { get; set; }

    /// <summary>Pending, Running, Succeeded or Failed.</summary>
    [Description("Pending until a gateway takes the request, then Running, then Succeeded or Failed.")]
    [CrdEnum("Pending", "Running", "Succeeded", "Failed")]
    public string? Phase { get; set; }

    [Description("Events in the time range whose state matched.")]
    public long? Matched { get; set; }

    [Description("Matched events put back into delivery; an event already waiting for an attempt is matched but not enqueued again.")]
    public long? Enqueued { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    [Description("Why the replay failed, or a summary of its result.")]
    public string? Message { get; set; }
}
