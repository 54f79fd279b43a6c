import Tensor

extension FineTunable {
    /// Prepares a pretrained network for a new task: a fresh classifier `Linear(features,
    /// classCount)` (PyTorch's default initialization, from `seed`), and, when `inputChannels`
    /// is 1 and the stem expects more, a one-channel stem.
    ///
    /// **The one-channel stem sums the RGB filters.** A gray image fed as three equal channels
    /// gives `Σ_c W_c ∗ g = (Σ_c W_c) ∗ g`, so a stem whose single filter is the sum of the three
    /// computes exactly what the pretrained network computes on the gray image repeated 3× —
    /// same outputs at initialization — while reading and convolving a third of the input (the
    /// stem is the most expensive layer per output pixel at full resolution). The alternative,
    /// repeating the gray channel, keeps the pretrained stem unchanged but triples the input
    /// memory and stem work for no difference in function. Inputs must then be normalized as
    /// the pretrained network expects (``PretrainedArchitecture/pixelOffset``), identically for
    /// the one channel.
    ///
    /// The adapted network has exactly the parameters of the zoo architecture built with the
    /// same channel and class counts, so a saved fine-tuned model reloads into
    /// `ModelZoo.make(name, inputChannels: inputChannels, classCount: classCount)`.
    public func adapt(inputChannels: Int, classCount: Int, seed: UInt64) {
        let old = stem
        if inputChannels != old.inputChannels {
            precondition(inputChannels == 1 && old.groups == 1,
                         "adapt(inputChannels:): only a 1-channel stem can be made from a \(old.inputChannels)-channel one, got \(inputChannels)")
            var generator = RandomGenerator(seed: seed)
            let gray = Conv2D(1, old.outputChannels, kernelSize: old.kernelSize, stride: old.stride, padding: old.padding,
                              dilation: old.dilation, bias: old.bias != nil, generator: &generator)
            gray.weight.value = old.weight.value.detached().sum(alongAxes: [1], keepingDimensions: true)
            if let bias = old.bias, let newBias = gray.bias { newBias.value = bias.value.detached() }
            stem = gray
        }
        var generator = RandomGenerator(seed: seed &+ 1)
        classifierHead = Linear(classifierHead.inputFeatures, classCount, generator: &generator)
    }
}
