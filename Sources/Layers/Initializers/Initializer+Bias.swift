extension Initializer {
    /// The bias initializer a layer uses: `explicit` when given, else PyTorch's default for
    /// `Linear` and `Conv2d`, uniform in ±1/√fanIn of the layer's weight.
    static func fanInBias(weightShape: [Int], _ explicit: Initializer?) -> Initializer {
        if let explicit { return explicit }
        let fanIn = fans(of: weightShape).fanIn
        let bound = fanIn > 0 ? 1 / Float(fanIn).squareRoot() : 0
        return .uniform(low: -bound, high: bound)
    }
}
