import Tensor

// Grad-CAM for the pretrained backbones: their feature maps are split off like ResNet's, after
// the deepest block whose maps are still at least `minimumMapSide` wide.

extension EfficientNetLite: FeatureMapClassifier {
    /// Splits after the deepest MBConv block (or the 1×1 head convolution) whose maps are at
    /// least 7 pixels wide.
    public func split(_ input: Tensor) -> (featureMaps: Tensor, head: (Tensor) -> Tensor) {
        let stages: [Module] = blocks + [Sequential(convHead, bn1, ReLU6())]
        let (maps, rest) = splitStages(bn0(convStem(input)).relu6(), stages, halving: stages.map(halvesResolution))
        return (maps, { x in self.fc(self.dropout(self.pool(rest.reduce(x) { $1($0) }))) })
    }
}

extension MobileNetV2: FeatureMapClassifier {
    /// Splits after the deepest inverted residual block (or the final 1×1 convolution) whose maps
    /// are at least 7 pixels wide.
    public func split(_ input: Tensor) -> (featureMaps: Tensor, head: (Tensor) -> Tensor) {
        let stages = features.layers
        let (maps, rest) = splitStages(input, stages, halving: stages.map(halvesResolution))
        return (maps, { x in self.classifier(self.pool(rest.reduce(x) { $1($0) })) })
    }
}

/// Whether a block contains a strided convolution (and so halves the maps' side).
private func halvesResolution(_ block: Module) -> Bool {
    block.modules().contains { ($0 as? Conv2D).map { $0.stride.0 > 1 || $0.stride.1 > 1 } ?? false }
}
