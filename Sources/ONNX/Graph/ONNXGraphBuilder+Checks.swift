import Layers

extension ONNXGraphBuilder {
    /// Checks that `x` is an `[N, channels, H, W]` feature map (any channel count when `nil`).
    /// - Throws: ``ONNXExportError/shapeMismatch(path:expected:found:)`` naming the current module.
    public func requireFeatureMap(_ x: ONNXValue, channels: Int? = nil) throws {
        guard x.featureShape.count == 3, channels.map({ $0 == x.featureShape[0] }) ?? true else {
            throw ONNXExportError.shapeMismatch(path: currentPath, expected: "[N, \(channels.map(String.init) ?? "C"), H, W]",
                                                found: x.featureShape)
        }
    }

    /// Checks that `x` is `[N, features]`.
    public func requireFeatures(_ x: ONNXValue, _ features: Int) throws {
        guard x.featureShape == [features] else {
            throw ONNXExportError.shapeMismatch(path: currentPath, expected: "[N, \(features)]", found: x.featureShape)
        }
    }
}
