import Tensor

/// A classifier made of a convolutional trunk and a head: what class-activation methods such
/// as Grad-CAM need, since they weigh feature maps by the gradient of a class score.
///
/// The split point depends on the input size: the deepest stage whose maps are still at least
/// ``minimumMapSide`` pixels wide, so that a 28×28 input is not explained by a 1×1 map.
/// For every input, `forward(x)` equals `head(featureMaps)` of `split(x)`.
public protocol FeatureMapClassifier: Module {
    /// The feature maps `[N, K, h, w]` for `input`, and the rest of the network from them
    /// to class logits.
    func split(_ input: Tensor) -> (featureMaps: Tensor, head: (Tensor) -> Tensor)
}

/// The smallest side of the feature maps a split prefers.
public let minimumMapSide = 7

/// Runs `stages` in order, stopping before the first one whose output would be smaller than
/// ``minimumMapSide`` (each stage halving the side, as in every zoo network's later stages),
/// after at least one stage; returns the maps and the stages left.
func splitStages(_ input: Tensor, _ stages: [Module], halving: [Bool]) -> (Tensor, [Module]) {
    var x = input
    var index = 0
    while index < stages.count {
        let side = Swift.min(x.shape[2], x.shape[3])
        if index > 0, halving[index], side / 2 < minimumMapSide { break }
        x = stages[index](x)
        index += 1
    }
    return (x, Array(stages[index...]))
}

extension CompactCNN: FeatureMapClassifier {
    /// Splits after the deepest convolutional block whose maps are at least 7 pixels wide.
    public func split(_ input: Tensor) -> (featureMaps: Tensor, head: (Tensor) -> Tensor) {
        let (maps, rest) = splitStages(input, features.layers, halving: features.layers.map { _ in true })
        return (maps, { x in self.classifier(self.pool(rest.reduce(x) { $1($0) })) })
    }
}

extension ResNet: FeatureMapClassifier {
    /// Splits after the deepest residual stage whose maps are at least 7 pixels wide.
    public func split(_ input: Tensor) -> (featureMaps: Tensor, head: (Tensor) -> Tensor) {
        let stem = maxpool(relu(bn1(conv1(input))))
        let (maps, rest) = splitStages(stem, [layer1, layer2, layer3, layer4], halving: [false, true, true, true])
        return (maps, { x in self.fc(self.avgpool(rest.reduce(x) { $1($0) }).flattened(startAxis: 1)) })
    }
}
