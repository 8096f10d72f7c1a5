namespace FastHook.Api.V1Alpha1;

/// <summary>
/// The API group and version of every FastHook custom resource.
/// </summary>
public static class ApiGroup
{
    public const string Group = "fasthook.io";

    public const string Version = "v1alpha1";

    public const string ApiVersion = Group + "/" + Version;
}
