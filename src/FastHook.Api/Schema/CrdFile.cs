using System.Text.Json.Nodes;

namespace FastHook.Api.Schema;

/// <summary>
/// One generated CustomResourceDefinition: its file name under config/crd, the object, and its YAML text.
/// </summary>
public sealed record CrdFile(string FileName, JsonObject Definition, string Yaml);
