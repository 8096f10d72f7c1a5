using System.CommandLine;
using FastHook.Cli.Commands;

var root = new RootCommand("FastHook: a self-hosted webhook gateway on Redis Streams.");
root.Subcommands.Add(GatewayCommand.Create());
root.Subcommands.Add(OperatorCommand.Create());
root.Subcommands.Add(ReceiveCommand.Create());
root.Subcommands.Add(SendCommand.Create());
root.Subcommands.Add(CrdsCommand.Create());
foreach (var command in AdminCommands.Create())
{
    root.Subcommands.Add(command);
}

// SIGINT and SIGTERM cancel the running command; it then has this long to stop gracefully before the process exits.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) };
return await root.Parse(args).InvokeAsync(invocation);
