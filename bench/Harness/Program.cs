// fasthook-bench: the benchmark harness of FastHook. Commands:
//   run --mode full|quick|smoke [--out DIR] [--only PHASES]   runs every measurement and writes results and plots.
//   load --url URL --rate N ...                               runs one fixed-rate load and prints its result as JSON.
//   profile --rate N --duration S [--connections C]           profiles the gateway under fixed-rate load.
// bench/run.sh installs what the harness needs and calls "run". "run" starts "load" as a process of its own.
using System.Text.Json;
using FastHook.Bench;
using FastHook.Bench.Load;
using FastHook.Bench.Measurements;
using FastHook.Bench.Orchestration;

if (args.Length == 0 || args[0] is not ("run" or "load" or "profile"))
{
    await Console.Error.WriteLineAsync("Usage: fasthook-bench run --mode full|quick|smoke [--out DIR] [--only PHASES] | load --url URL --rate N [options] | profile --rate N --duration S");
    return 2;
}

try
{
    var options = new Arguments(args.Skip(1));
    if (args[0] == "load")
    {
        var result = LoadCommand.Run(options);
        Console.WriteLine(JsonSerializer.Serialize(result, BenchJson.Options));
        return 0;
    }

    return args[0] == "profile" ? await ProfileCommand.RunAsync(options) : await BenchRun.RunAsync(options);
}
catch (ArgumentException exception)
{
    await Console.Error.WriteLineAsync(exception.Message);
    return 2;
}
