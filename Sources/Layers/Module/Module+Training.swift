import Tensor

// Train/eval mode and freezing: switches that reach every sublayer.

extension Module {
    /// Puts the module and every sublayer in training mode (`true`) or eval mode (`false`).
    ///
    /// Training mode uses batch statistics in batch norm (and updates the running ones) and
    /// activates dropout; eval mode uses the running statistics and makes dropout the identity.
    public func train(_ mode: Bool = true) {
        for module in modules() { module.isTraining = mode }
    }

    /// Puts the module and every sublayer in eval mode (same as `train(false)`).
    public func eval() { train(false) }

    /// Stops training the parameters whose names start with `prefix` (all of them when `prefix`
    /// is empty): they record no gradients, and ``parameters`` leaves them out.
    ///
    /// A prefix matches whole name segments: `"features"` matches `features.0.weight` but not
    /// `features_extra.weight`; `"features.1"` does not match `features.10.weight`.
    /// - Returns: the number of parameters affected, so a misspelt prefix can be noticed.
    @discardableResult
    public func freeze(prefix: String = "") -> Int {
        setTrainable(false, prefix: prefix)
    }

    /// Trains again the parameters whose names start with `prefix` (all when empty); see
    /// ``freeze(prefix:)``.
    @discardableResult
    public func unfreeze(prefix: String = "") -> Int {
        setTrainable(true, prefix: prefix)
    }

    private func setTrainable(_ trainable: Bool, prefix: String) -> Int {
        var count = 0
        for (name, parameter) in namedParameters() where Self.name(name, matches: prefix) {
            parameter.requiresGradient = trainable
            count += 1
        }
        return count
    }

    /// Whether `name` lies under `prefix`, segment-wise.
    static func name(_ name: String, matches prefix: String) -> Bool {
        if prefix.isEmpty || name == prefix { return true }
        if prefix.hasSuffix(".") { return name.hasPrefix(prefix) }
        return name.hasPrefix(prefix + ".")
    }

    /// Drops the accumulated gradient of every parameter (call between optimizer steps).
    public func zeroGradients() {
        for (_, parameter) in namedParameters() { parameter.zeroGradient() }
    }
}
