namespace FastHook.KubeEmulator.Validation;

/// <summary>
/// One x-kubernetes-validations entry, compiled; <see cref="Program"/> is null when the rule could not be
/// compiled and the emulator was told to skip such rules.
/// </summary>
internal sealed record ValidationRule(
    string Rule,
    string? Message,
    string? MessageExpression,
    string Reason,
    string? FieldPath,
    bool UsesOldSelf,
    Func<IDictionary<string, object?>, object?>? Program,
    Func<IDictionary<string, object?>, object?>? MessageProgram);
