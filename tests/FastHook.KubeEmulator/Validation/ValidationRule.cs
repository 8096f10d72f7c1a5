namespace FastHook.KubeEmulator.Validation;

/// <summary>
/// One compiled x-kubernetes-validations entry. <see cref="Program"/> is null when the rule could not be
/// compiled and the emulator options skip such rules.
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
