using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FastHook.Api.Schema;

namespace FastHook.Api.V1Alpha1;

/// <summary>
/// A request in <c>spec.replays</c> of a connection to deliver stored events again. The name identifies the
/// request: a name runs once, and its progress is reported under the same name in <c>status.replays</c>.
/// </summary>
[Description("A request to deliver the connection's stored events again, chosen by receive time and state.")]
[CrdValidation("!has(self.from) || !has(self.to) || timestamp(self.from) <= timestamp(self.to)", "from must not be later than to", FieldPath = ".from")]
[CrdValidation("self == oldSelf", "a replay request cannot be changed once it exists, because it runs only once: add a request with a new name")]
public sealed class ReplayRequest
{
    [Description("The unique name of the request: lower-case letters, digits, '-' and '.'.")]
    [Required]
    [RegularExpression("^[a-z0-9.-]+$")]
    [MaxLength(253)]
    public string? Name { get; set; }

    [Description("The earliest receive time of the events replayed; all stored events when unset.")]
    public DateTimeOffset? From { get; set; }

    [Description("The latest receive time of the events replayed; the time the replay starts when unset.")]
    public DateTimeOffset? To { get; set; }

    /// <summary>deadLettered, failed (dead-lettered or waiting for a retry) or all.</summary>
    [Description("Which events are replayed: deadLettered, failed (dead-lettered or waiting for a retry) or all.")]
    [Required]
    [CrdEnum("deadLettered", "failed", "all")]
    public string? State { get; set; }
}
