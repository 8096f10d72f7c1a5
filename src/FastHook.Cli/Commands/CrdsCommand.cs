using System.CommandLine;
using FastHook.Api.Schema;

namespace FastHook.Cli.Commands;

/// <summary>
/// <c>fasthook crds</c>: writes the CustomResourceDefinitions generated from the resource types.
/// </summary>
internal static class CrdsCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output", "-o")
        {
            Description = "Folder to write one YAML file per resource to; created when missing",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("config", "crd")),
        };

        var command = new Command("crds", "Write the CustomResourceDefinitions of WebhookSource, Destination and Connection, generated from the API types")
        {
            output,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = parse.GetValue(output)!;
            IReadOnlyList<CrdFile> files;
            try
            {
                files = CrdGenerator.GenerateFiles();
            }
            catch (NotSupportedException exception)
            {
                await Console.Error.WriteLineAsync($"The CRDs could not be generated: {exception.Message}");
                return ExitCodes.Failed;
            }

            try
            {
                folder.Create();
                foreach (var file in files)
                {
                    var path = Path.Combine(folder.FullName, file.FileName);
                    await File.WriteAllTextAsync(path, file.Yaml, cancellationToken);
                    await Console.Out.WriteLineAsync($"wrote {Path.Combine(folder.ToString(), file.FileName)}");
                }

                // A resource that was renamed or removed leaves its old file behind. Only files with the generated
                // prefix are removed, so other files in the folder stay.
                var generated = files.Select(file => file.FileName).ToHashSet(StringComparer.Ordinal);
                foreach (var stale in folder.EnumerateFiles(CrdGenerator.FilePrefix + "*.yaml").Where(file => !generated.Contains(file.Name)))
                {
                    stale.Delete();
                    await Console.Out.WriteLineAsync($"removed {Path.Combine(folder.ToString(), stale.Name)}");
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"Writing the CRDs to {folder} failed: {exception.Message}");
                return ExitCodes.Failed;
            }

            return ExitCodes.Success;
        });

        return command;
    }
}
