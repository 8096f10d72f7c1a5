using System.Text;
using FastHook.Chart.Tests.Infrastructure;
using FastHook.KubeEmulator;
using k8s;
using k8s.Models;

namespace FastHook.Chart.Tests;

/// <summary>
/// The Secrets the chart generates once and reads back with lookup on upgrades: the admin API token and the
/// bundled Redis's password. `helm template --dry-run=server`
/// runs lookup against the API emulator here, as `helm upgrade` does against the cluster.
/// </summary>
[Collection(EmulatorScenarios.Name)]
public sealed class GeneratedSecretsTests
{
    [Fact]
    public async Task AdminToken_Upgrade_KeepsStoredToken()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        await api.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = HelmChart.Namespace } });
        await api.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "fasthook-admin-token" }, StringData = new Dictionary<string, string> { ["token"] = "stored-by-the-first-install" } },
            HelmChart.Namespace);

        var upgrade = TemplateAgainst(api);
        var install = HelmChart.Template();

        Assert.Equal("stored-by-the-first-install", Token(upgrade));
        Assert.NotEqual("stored-by-the-first-install", Token(install));
        Assert.Equal(48, Token(install).Length);
    }

    [Fact]
    public async Task AdminToken_FirstInstall_GeneratesToken()
    {
        await using var api = await KubeApiEmulator.StartAsync();

        var first = Token(TemplateAgainst(api));
        var second = Token(TemplateAgainst(api));

        Assert.Equal(48, first.Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task RedisPassword_Upgrade_KeepsStoredPassword()
    {
        await using var api = await KubeApiEmulator.StartAsync();
        await api.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = HelmChart.Namespace } });
        await api.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "fasthook-redis-auth" }, StringData = new Dictionary<string, string> { ["password"] = "stored-password" } },
            HelmChart.Namespace);

        var upgrade = TemplateAgainst(api);

        Assert.Equal("stored-password", Decode(upgrade.Single("Secret", "fasthook-redis-auth").GetScalar("data.password")));
        Assert.Equal("redis://:stored-password@fasthook-redis.fasthook-system.svc:6379/0", Decode(upgrade.Single("Secret", "fasthook-redis-url").GetScalar("data.url")));
    }

    private static RenderedChart TemplateAgainst(KubeApiEmulator api)
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"fasthook-chart-kubeconfig-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: emulator
              cluster:
                server: {api.Url.ToString().TrimEnd('/')}
            users:
            - name: tests
              user: {"{}"}
            contexts:
            - name: emulator
              context:
                cluster: emulator
                user: tests
            current-context: emulator
            """);
        try
        {
            return HelmChart.Template("--dry-run=server", "--kubeconfig", kubeconfig);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private static string Token(RenderedChart chart) => Decode(chart.Single("Secret", "fasthook-admin-token").GetScalar("data.token"));

    private static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));
}
