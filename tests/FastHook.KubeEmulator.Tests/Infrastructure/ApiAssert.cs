using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace FastHook.KubeEmulator.Tests.Infrastructure;

/// <summary>
/// Runs a client call that must fail and returns the HTTP status and the metav1 Status body it carried.
/// </summary>
public static class ApiAssert
{
    public static async Task<(HttpStatusCode Code, V1Status Status)> FailsAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        return (error.Response.StatusCode, status);
    }
}
