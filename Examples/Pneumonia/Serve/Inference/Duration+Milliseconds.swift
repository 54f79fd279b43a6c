extension Duration {
    /// The duration in milliseconds, for logs and `latency_ms`.
    var milliseconds: Double { Double(components.seconds) * 1e3 + Double(components.attoseconds) * 1e-15 }
}
