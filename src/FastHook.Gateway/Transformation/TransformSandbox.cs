using System.Globalization;
using Jint;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace FastHook.Gateway.Transformation;

/// <summary>
/// The JavaScript engine a transform runs in. Jint gives no access to .NET, files, the network or timers unless
/// the host adds them, and this host adds none. It enforces the time, memory and recursion limits between
/// statements, so a prelude also guards the built-ins that build a large string or buffer in one call.
/// </summary>
internal static class TransformSandbox
{
    /// <summary>
    /// Runs first in every engine. It removes the binary buffer types, whose constructors allocate any size at once.
    /// It wraps repeat, padStart, padEnd and join so that they reject strings longer than the memory limit allows.
    /// It returns the function that calls transform and serialises the result, counting its size as it goes.
    /// </summary>
    private const string PreludeSource = """
        (function (maxStringLength, limitExceeded, invalidResult) {
          'use strict';
          const removed = ['ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics', 'Int8Array', 'Uint8Array',
            'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array',
            'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'WeakRef', 'FinalizationRegistry'];
          for (const name of removed) {
            delete globalThis[name];
          }

          function check(length, operation) {
            if (length > maxStringLength) {
              limitExceeded(operation + ' would hold about ' + length + ' characters, more than the memory limit allows');
            }
          }

          function replace(target, name, wrapper) {
            Object.defineProperty(target, name, { value: wrapper, writable: true, configurable: true, enumerable: false });
          }

          const originalRepeat = String.prototype.repeat;
          replace(String.prototype, 'repeat', function repeat(count) {
            check(String(this).length * Math.max(0, Math.floor(Number(count)) || 0), 'repeat()');
            return originalRepeat.call(this, count);
          });

          const originalPadStart = String.prototype.padStart;
          replace(String.prototype, 'padStart', function padStart(length, filler) {
            check(Number(length) || 0, 'padStart()');
            return originalPadStart.call(this, length, filler);
          });

          const originalPadEnd = String.prototype.padEnd;
          replace(String.prototype, 'padEnd', function padEnd(length, filler) {
            check(Number(length) || 0, 'padEnd()');
            return originalPadEnd.call(this, length, filler);
          });

          const originalJoin = Array.prototype.join;
          replace(Array.prototype, 'join', function join(separator) {
            const count = Number(this.length) || 0;
            let length = Math.max(0, count - 1) * (separator === undefined ? 1 : String(separator).length);
            for (let i = 0; i < count; i++) {
              const item = this[i];
              length += typeof item === 'string' ? item.length : 0;
            }
            check(length, 'join()');
            return originalJoin.call(this, separator);
          });

          return function run(transform, request) {
            const result = transform(request);
            if (result === null || typeof result !== 'object' || Array.isArray(result)) {
              invalidResult('transform returned ' + (result === null ? 'null' : Array.isArray(result) ? 'an array' : typeof result)
                + ', not an object such as {body, headers}');
            }
            if (typeof result.then === 'function') {
              invalidResult('transform returned a Promise: it must return its result directly, without async or await');
            }
            let size = 0;
            return JSON.stringify(result, function (key, value) {
              size += key.length + (typeof value === 'string' ? value.length : 8);
              check(size, 'The result');
              return value;
            });
          };
        })
        """;

    /// <summary>The prelude, parsed once per process.</summary>
    private static readonly Prepared<Acornima.Ast.Script> Prelude = Engine.PrepareScript(PreludeSource, "fasthook-prelude.js", strict: true);

    /// <summary>Creates an engine with the limits of <paramref name="limits"/>; one engine serves one run.</summary>
    public static Engine CreateEngine(SandboxLimits limits) => new(options =>
    {
        options.TimeoutInterval(limits.Timeout);
        options.LimitMemory(limits.MaxMemoryBytes);
        options.LimitRecursion(limits.MaxRecursionDepth);
        options.MaxArraySize((uint)Math.Min(uint.MaxValue, limits.MaxMemoryBytes / 8));
        options.RegexTimeoutInterval(limits.Timeout);
        options.DisableStringCompilation();
        options.Culture = CultureInfo.InvariantCulture;
        options.TimeZone = TimeZoneInfo.Utc;

        // Measures the native stack on every call, so a recursion the depth count misses (a getter, a coercion)
        // raises a RangeError instead of ending the process with a stack overflow.
        options.Constraints.StackOverflowGuard = true;
    });

    /// <summary>Runs the prelude in <paramref name="engine"/> and returns the function that runs a transform.</summary>
    public static JsValue Install(Engine engine, SandboxLimits limits)
    {
        var factory = engine.Evaluate(Prelude);
        var limitExceeded = new ClrFunction(engine, "limitExceeded", (_, arguments) =>
            throw new MemoryLimitExceededException(arguments.Length > 0 ? arguments[0].ToString() : "The transform exceeded its memory limit"));
        var invalidResult = new ClrFunction(engine, "invalidResult", (_, arguments) =>
            throw new InvalidTransformResultException(arguments.Length > 0 ? arguments[0].ToString() : "The transform returned an invalid result"));
        return engine.Invoke(factory, limits.MaxMemoryBytes / 2, limitExceeded, invalidResult);
    }
}

/// <summary>
/// The limits of one connection's transform, with defaults applied.
/// </summary>
public sealed record SandboxLimits(TimeSpan Timeout, long MaxMemoryBytes, int MaxRecursionDepth);
