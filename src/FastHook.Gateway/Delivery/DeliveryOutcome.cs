using FastHook.Api.V1Alpha1;

namespace FastHook.Gateway.Delivery;

/// <summary>
/// How one attempt ended, classified into the outcome names <c>spec.retry.retryOn</c> uses.
/// </summary>
public sealed record DeliveryOutcome(string Name, int? Status, string? Error, TimeSpan? RetryAfter, string? ResponseExcerpt)
{
    public const string Success = "success";

    public bool IsSuccess => Name == Success;

    /// <summary>Classifies a response status: 2xx is success; 3xx is treated as a client error because redirects are not followed.</summary>
    public static string Classify(int status) => status switch
    {
        >= 200 and < 300 => Success,
        408 => RetryOutcomes.RequestTimeout,
        429 => RetryOutcomes.TooManyRequests,
        501 => RetryOutcomes.ClientError,
        >= 500 => RetryOutcomes.ServerError,
        _ => RetryOutcomes.ClientError,
    };
}
