using System.Diagnostics;
using System.Text.RegularExpressions;
using FastHook.Api;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Filtering;
using FastHook.Gateway.Storage;
using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Json;
using Jint.Runtime;

namespace FastHook.Gateway.Transformation;

/// <summary>
/// A connection's compiled <c>spec.transform</c>: the script parsed once per configuration, run in a new sandbox
/// engine for each event so that no state passes from one event to the next.
/// </summary>
public sealed class TransformScript
{
    public const string FunctionName = "transform";

    /// <summary>The longest error message kept, because a script's own message can be as long as it likes.</summary>
    private const int MaxErrorLength = 1000;

    /// <summary>
    /// A run of a trivial transform, done once per process before the first script compiles. The first run of the
    /// interpreter compiles much of it to machine code (about half a second in a test on this project's 2-core
    /// machine), and that time would otherwise count against the first event's timeout.
    /// </summary>
    private static readonly Lazy<bool> WarmUp = new(() =>
    {
        var script = Engine.PrepareScript("function transform(request) { return {body: {method: request.method}, headers: {'x-warm': '1'}}; }");
        var request = new StoredRequest
        {
            Id = "0-0",
            Method = "POST",
            Path = "/",
            Query = "?a=1",
            Headers = [new("Content-Type", "application/json")],
            Body = "{\"a\":1}"u8.ToArray(),
            Verification = "none",
        };
        return new TransformScript(script, new SandboxLimits(TransformLimits.MaxTimeout, TransformLimits.DefaultMaxMemoryBytes, TransformLimits.DefaultMaxRecursionDepth)).Run(request).Succeeded;
    });

    private readonly Prepared<Acornima.Ast.Script> _script;

    private TransformScript(Prepared<Acornima.Ast.Script> script, SandboxLimits limits)
    {
        _script = script;
        Limits = limits;
    }

    public SandboxLimits Limits { get; }

    /// <summary>
    /// Parses the script and runs its top level once, to check that it defines the transform function. Adds each
    /// problem to <paramref name="errors"/>, with the line and column (from 1) of a syntax error, and returns null
    /// when there is any.
    /// </summary>
    public static TransformScript? Compile(TransformSpec spec, List<RuleError> errors)
    {
        const string field = "spec.transform.script";
        _ = WarmUp.Value;
        var limits = new SandboxLimits(
            Durations.ParseOrDefault(spec.Timeout, TransformLimits.DefaultTimeout),
            spec.MaxMemoryBytes ?? TransformLimits.DefaultMaxMemoryBytes,
            spec.MaxRecursionDepth ?? TransformLimits.DefaultMaxRecursionDepth);

        Prepared<Acornima.Ast.Script> prepared;
        try
        {
            prepared = Engine.PrepareScript(spec.Script ?? "", field);
        }
        catch (ScriptPreparationException exception) when (exception.InnerException is Acornima.ParseErrorException syntax)
        {
            errors.Add(new RuleError(field, $"is not valid JavaScript: line {syntax.LineNumber}, column {syntax.Column + 1}: {syntax.Description}"));
            return null;
        }

        try
        {
            using var engine = TransformSandbox.CreateEngine(limits);
            TransformSandbox.Install(engine, limits);
            engine.Execute(prepared);
            if (engine.GetValue(FunctionName) is not Function)
            {
                errors.Add(new RuleError(field, $"defines no function named {FunctionName}: write function {FunctionName}(request) {{ ... }} that returns {{body, headers}}"));
                return null;
            }
        }
        catch (Exception exception)
        {
            var (reason, message) = Classify(exception, limits);
            errors.Add(new RuleError(field, $"failed when its top level ran ({reason}): {message}"));
            return null;
        }

        return new TransformScript(prepared, limits);
    }

    /// <summary>
    /// Runs the transform on <paramref name="request"/> synchronously, for about twice the timeout at most: once for
    /// the script's top level, once for the call. Returns every failure as an outcome instead of throwing it, so that
    /// an event whose script breaks the interpreter is dead-lettered rather than retried forever.
    /// </summary>
    public TransformOutcome Run(StoredRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        using var input = TransformInput.Create(request);
        try
        {
            using var engine = TransformSandbox.CreateEngine(Limits);
            var run = TransformSandbox.Install(engine, Limits);
            engine.Execute(_script);

            var function = engine.GetValue(FunctionName);
            if (function is not Function)
            {
                throw new InvalidTransformResultException($"the script no longer defines a function named {FunctionName}");
            }

            var argument = new JsonParser(engine).Parse(input.Json);
            var json = engine.Invoke(run, function, argument).AsString();
            var transformed = TransformedRequest.Parse(json, input);
            return new TransformOutcome(transformed, null, null, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception exception)
        {
            var (reason, message) = Classify(exception, Limits);
            return new TransformOutcome(null, reason, message, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// Names the limit or error behind <paramref name="exception"/>. An exception of another type is the interpreter
    /// failing on this script, reported as an error with its type.
    /// </summary>
    private static (string Reason, string Message) Classify(Exception exception, SandboxLimits limits)
    {
        var (reason, message) = exception switch
        {
            TimeoutException or RegexMatchTimeoutException =>
                (TransformFailures.Timeout, $"the transform ran longer than its timeout of {limits.Timeout.TotalMilliseconds:0}ms"),
            MemoryLimitExceededException or OutOfMemoryException =>
                (TransformFailures.MemoryLimit, $"{exception.Message} (maxMemoryBytes is {limits.MaxMemoryBytes})"),
            RecursionDepthOverflowException or InsufficientExecutionStackException =>
                (TransformFailures.RecursionLimit, $"function calls nested deeper than maxRecursionDepth {limits.MaxRecursionDepth}"),
            JavaScriptException script when script.Message.Contains("Maximum call stack size exceeded", StringComparison.Ordinal) =>
                (TransformFailures.RecursionLimit, $"function calls used up the thread's stack before reaching maxRecursionDepth {limits.MaxRecursionDepth}"),
            JavaScriptException script =>
                (TransformFailures.Error, $"{script.Message} at line {script.Location.Start.Line}, column {script.Location.Start.Column + 1}"),
            InvalidTransformResultException =>
                (TransformFailures.InvalidResult, exception.Message),
            JintException =>
                (TransformFailures.Error, exception.Message),
            _ => (TransformFailures.Error, $"the interpreter failed with {exception.GetType().Name}: {exception.Message}"),
        };

        return (reason, message.Length > MaxErrorLength ? message[..MaxErrorLength] + "…" : message);
    }
}
