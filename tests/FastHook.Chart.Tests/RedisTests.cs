using System.Text;
using FastHook.Chart.Tests.Infrastructure;

namespace FastHook.Chart.Tests;

public sealed class RedisTests
{
    [Fact]
    public void BundledConfig_Defaults_AppendsEverySecondWithoutEviction()
    {
        var config = RedisConfig(HelmChart.Template());

        Assert.Contains("appendonly yes", config);
        Assert.Contains("appendfsync everysec", config);
        Assert.Contains("maxmemory-policy noeviction", config);
        Assert.Contains("dir /data", config);
        Assert.Contains("include /etc/redis-auth/auth.conf", config);
        Assert.DoesNotContain("requirepass", config);
    }

    [Fact]
    public void BundledConfig_AppendfsyncAlways_IsWritten()
    {
        var config = RedisConfig(HelmChart.Template("--set", "redis.bundled.appendfsync=always", "--set", "redis.bundled.maxmemory=2gb"));

        Assert.Contains("appendfsync always", config);
        Assert.Contains("maxmemory 2gb", config);
    }

    [Fact]
    public void BundledSecrets_Defaults_ShareOneGeneratedPassword()
    {
        var chart = HelmChart.Template();

        var auth = chart.Single("Secret", "fasthook-redis-auth");
        var password = Decode(auth, "password");
        var url = Decode(chart.Single("Secret", "fasthook-redis-url"), "url");

        Assert.Equal(32, password.Length);
        Assert.Equal($"requirepass {password}\n", Decode(auth, "auth.conf"));
        Assert.Equal($"redis://:{password}@fasthook-redis.fasthook-system.svc:6379/0", url);
    }

    [Fact]
    public void BundledSecrets_GivenPassword_IsUsed()
    {
        var chart = HelmChart.Template("--set", "redis.bundled.auth.password=correct-horse.battery_staple~1");

        var url = Decode(chart.Single("Secret", "fasthook-redis-url"), "url");

        Assert.Equal("redis://:correct-horse.battery_staple~1@fasthook-redis.fasthook-system.svc:6379/0", url);
    }

    [Fact]
    public void BundledSecrets_AuthDisabled_OmitPassword()
    {
        var chart = HelmChart.Template("--set", "redis.bundled.auth.enabled=false");

        Assert.False(chart.Contains("Secret", "fasthook-redis-auth"));
        Assert.Equal("redis://fasthook-redis.fasthook-system.svc:6379/0", Decode(chart.Single("Secret", "fasthook-redis-url"), "url"));
        Assert.DoesNotContain("include", RedisConfig(chart));
        Assert.Null(chart.Single("StatefulSet", "fasthook-redis").Container("redis").GetValueOrDefault("env"));
    }

    [Fact]
    public void BundledPassword_WithReservedCharacters_IsRejected()
    {
        var result = HelmChart.TryTemplate(["--set", "redis.bundled.auth.password=p@ss:word"]);

        Assert.False(result.Succeeded);
        Assert.Contains("redis.bundled.auth.password", result.Error);
    }

    [Fact]
    public void BundledStatefulSet_Defaults_KeepsDataOnClaim()
    {
        var statefulSet = HelmChart.Template().Single("StatefulSet", "fasthook-redis");

        Assert.Equal("1", statefulSet.GetScalar("spec.replicas"));
        Assert.Equal("redis:7.4.2", statefulSet.Container("redis")["image"]);
        var claim = YamlNodes.Map(statefulSet.GetList("spec.volumeClaimTemplates").Single(), "volumeClaimTemplates[0]");
        Assert.Equal("data", YamlNodes.GetScalar(claim, "metadata.name"));
        Assert.Equal("8Gi", YamlNodes.GetScalar(claim, "spec.resources.requests.storage"));
        Assert.Null(YamlNodes.Find(claim, "spec.storageClassName"));
        Assert.DoesNotContain(
            statefulSet.GetList("spec.template.spec.volumes").Select(item => YamlNodes.Map(item, "volume")),
            volume => Equals(volume["name"], "data"));
    }

    [Fact]
    public void BundledStatefulSet_PersistenceDisabled_UsesEmptyDir()
    {
        var statefulSet = HelmChart.Template("--set", "redis.bundled.persistence.enabled=false").Single("StatefulSet", "fasthook-redis");

        Assert.Null(statefulSet.Find("spec.volumeClaimTemplates"));
        var data = statefulSet.GetList("spec.template.spec.volumes")
            .Select(item => YamlNodes.Map(item, "volume"))
            .Single(volume => Equals(volume["name"], "data"));
        Assert.True(data.ContainsKey("emptyDir"));
    }

    [Fact]
    public void BundledStatefulSet_StorageClass_IsSet()
    {
        var statefulSet = HelmChart.Template(HelmChart.ValueSetArguments("all-features")).Single("StatefulSet", "fasthook-redis");

        var claim = YamlNodes.Map(statefulSet.GetList("spec.volumeClaimTemplates").Single(), "volumeClaimTemplates[0]");
        Assert.Equal("fast-ssd", YamlNodes.GetScalar(claim, "spec.storageClassName"));
        Assert.Equal("20Gi", YamlNodes.GetScalar(claim, "spec.resources.requests.storage"));
    }

    [Fact]
    public void BundledService_Defaults_SelectsRedisPod()
    {
        var chart = HelmChart.Template();
        var service = chart.Single("Service", "fasthook-redis");
        var podLabels = chart.Single("StatefulSet", "fasthook-redis").GetMap("spec.template.metadata.labels");

        foreach (var (key, value) in service.GetMap("spec.selector"))
        {
            Assert.Equal(value, podLabels[key]);
        }

        Assert.Equal("redis", service.GetMap("spec.selector")["app.kubernetes.io/component"]);
    }

    [Fact]
    public void ExternalUrl_Rediss_IsStoredInSecret()
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments("external-url"));

        Assert.Equal("rediss://fasthook:s3cret@redis.example.internal:6380/2", Decode(chart.Single("Secret", "fasthook-redis-url"), "url"));
        Assert.Empty(chart.OfKind("StatefulSet"));
        Assert.False(chart.Contains("Secret", "fasthook-redis-auth"));
    }

    [Fact]
    public void ExistingSecret_Given_RendersNoRedisObjects()
    {
        var chart = HelmChart.Template(HelmChart.ValueSetArguments("existing-secret"));

        Assert.Empty(chart.OfKind("Secret"));
        Assert.Empty(chart.OfKind("StatefulSet"));
        Assert.DoesNotContain(chart.OfKind("Service"), service => service.Name!.Contains("redis", StringComparison.Ordinal));
    }

    [Fact]
    public void RedisChoice_None_FailsWithMessage()
    {
        var result = HelmChart.TryTemplate(["--set", "redis.bundled.enabled=false"]);

        Assert.False(result.Succeeded);
        Assert.Contains("No Redis is configured: set redis.external.url, redis.external.existingSecret.name, or redis.bundled.enabled=true.", result.Error);
    }

    [Fact]
    public void RedisChoice_Several_FailsNamingThem()
    {
        var result = HelmChart.TryTemplate(["--set", "redis.external.url=redis://redis:6379"]);

        Assert.False(result.Succeeded);
        Assert.Contains("Several Redis choices are set (redis.external.url, redis.bundled.enabled)", result.Error);
    }

    [Theory]
    [InlineData("http://redis:6379")]
    [InlineData("redis.example.internal:6379")]
    public void ExternalUrl_OtherScheme_IsRejected(string url)
    {
        var result = HelmChart.TryTemplate(["--set", "redis.bundled.enabled=false", "--set", "redis.external.url=" + url]);

        Assert.False(result.Succeeded);
        Assert.Contains("redis.external.url", result.Error);
    }

    private static string RedisConfig(RenderedChart chart) =>
        YamlNodes.Scalar(chart.Single("ConfigMap", "fasthook-redis-config").GetMap("data")["redis.conf"], "data[redis.conf]");

    private static string Decode(KubernetesObject secret, string key)
    {
        var data = secret.GetMap("data");
        return Encoding.UTF8.GetString(Convert.FromBase64String(YamlNodes.Scalar(data[key], $"{secret} data.{key}")));
    }
}
