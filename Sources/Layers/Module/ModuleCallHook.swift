import Tensor

/// Takes over the module calls of a task: a model summary records them (``CallRecorder``),
/// the fusion transform runs some of them fused (``FusedRun``), a tracer notes what each call
/// read and produced (``FusionTracer``).
///
/// ``Module/callAsFunction(_:)`` reads ``ModuleCalls/hook`` once per call: an ordinary forward
/// pass, with no hook installed, pays that task-local read and nothing else.
protocol ModuleCallHook: AnyObject, Sendable {
    /// The output of `module` for `input`: normally `module.forward(input)`, around which the
    /// hook does its work.
    func call(_ module: Module, with input: consuming Tensor) -> Tensor
}

/// Where the hook of the current task lives.
enum ModuleCalls {
    /// The hook of the current task, if any.
    @TaskLocal static var hook: (any ModuleCallHook)?
}
