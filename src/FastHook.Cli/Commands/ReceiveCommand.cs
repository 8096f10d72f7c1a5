using System.CommandLine;
using FastHook.Cli.Receiver;
using Microsoft.AspNetCore.Builder;

namespace FastHook.Cli.Commands;

/// <summary>
/// <c>fasthook receive</c>: a receiver that prints deliveries, for trying FastHook and for debugging.
/// </summary>
internal static class ReceiveCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port to listen on", DefaultValueFactory = _ => 9000 };
        var host = new Option<string>("--host") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var secret = new Option<string>("--secret") { Description = "Standard Webhooks secret (whsec_...) to check each delivery's webhook-signature against" };
        var status = new Option<int>("--status") { Description = "HTTP status to answer every delivery with", DefaultValueFactory = _ => 200 };
        var failFirst = new Option<int>("--fail-first") { Description = "Answer the first N deliveries with 503, to watch retries", DefaultValueFactory = _ => 0 };

        var command = new Command("receive", "Run a receiver that prints each delivery and answers with a chosen status")
        {
            port, host, secret, status, failFirst,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            byte[]? key;
            try
            {
                key = WebhookReceiver.DecodeSecret(parse.GetValue(secret));
            }
            catch (ArgumentException exception)
            {
                await Console.Error.WriteLineAsync(exception.Message);
                return ExitCodes.InvalidConfiguration;
            }

            var answer = parse.GetValue(status);
            if (answer is < 100 or > 599)
            {
                await Console.Error.WriteLineAsync($"--status {answer} is not an HTTP status: use 100 to 599.");
                return ExitCodes.InvalidConfiguration;
            }

            var url = $"http://{parse.GetValue(host)}:{parse.GetValue(port)}";
            var receiver = new WebhookReceiver(Console.Out, key, answer, parse.GetValue(failFirst), maxBodyPrint: 4096);
            await using var app = WebhookReceiver.Build(url);
            app.Run(context => receiver.HandleAsync(context));
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException exception)
            {
                await Console.Error.WriteLineAsync($"Could not listen on {url}: {exception.Message}. Choose another --port.");
                return ExitCodes.Failed;
            }

            await Console.Out.WriteLineAsync($"Receiving on {url}; press Ctrl+C to stop.");
            await Console.Out.FlushAsync(cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM.
            }

            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Success;
        });

        return command;
    }
}
