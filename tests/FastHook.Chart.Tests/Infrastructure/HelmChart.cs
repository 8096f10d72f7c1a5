namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// Runs `helm template` and `helm lint` on the chart with a release named "fasthook" in "fasthook-system".
/// </summary>
internal static class HelmChart
{
    public const string Release = "fasthook";

    public const string Namespace = "fasthook-system";

    /// <summary>
    /// Names of the value sets in Values/ that lint and render tests run with. "default" uses no values file.
    /// </summary>
    public static TheoryData<string> ValueSets => ["default", "all-features", "external-url", "existing-secret"];

    public static string[] ValueSetArguments(string valueSet) =>
        valueSet == "default" ? [] : ["-f", RepositoryPaths.ValuesFile(valueSet + ".yaml")];

    public static ToolResult TryTemplate(IEnumerable<string> arguments, string? chart = null) =>
        ExternalTool.Helm.Run(["template", Release, chart ?? RepositoryPaths.Chart, "--namespace", Namespace, .. arguments]);

    /// <summary>
    /// Renders the chart and parses the output, failing with helm's message when rendering fails.
    /// </summary>
    public static RenderedChart Template(params string[] arguments) => TemplateChart(null, arguments);

    public static RenderedChart TemplateChart(string? chart, params string[] arguments)
    {
        var result = TryTemplate(arguments, chart);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"helm template failed with arguments [{string.Join(' ', arguments)}]: {result}");
        }

        return RenderedChart.Parse(result.Output);
    }

    public static ToolResult Lint(IEnumerable<string> arguments) =>
        ExternalTool.Helm.Run(["lint", "--strict", RepositoryPaths.Chart, "--namespace", Namespace, .. arguments]);
}
