using FastHook.Operator.GatewayObjects;

namespace FastHook.Chart.Tests.Infrastructure;

/// <summary>
/// The gateway settings file of one rendering, as the operator reads it from its mounted ConfigMap.
/// </summary>
internal static class RenderedSettings
{
    public const string ConfigMapKey = "gateway.yaml";

    /// <summary>Returns the text of gateway.yaml in the ConfigMap "&lt;fullname&gt;-gateway-settings".</summary>
    public static string Text(RenderedChart chart, string fullname = HelmChart.Release)
    {
        var configMap = chart.Single("ConfigMap", $"{fullname}-gateway-settings");
        return YamlNodes.Scalar(configMap.GetMap("data")[ConfigMapKey], $"data[{ConfigMapKey}]");
    }

    /// <summary>Writes <paramref name="text"/> to a file named gateway.yaml and loads it with the operator's reader.</summary>
    public static GatewaySettings Load(string text)
    {
        var folder = Directory.CreateTempSubdirectory("fasthook-chart-settings-");
        try
        {
            var path = Path.Combine(folder.FullName, ConfigMapKey);
            File.WriteAllText(path, text);
            return GatewaySettings.Load(path);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    public static GatewaySettings Load(RenderedChart chart, string fullname = HelmChart.Release) => Load(Text(chart, fullname));
}
