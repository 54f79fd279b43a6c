// Scoring several views of each image in one graph (test-time augmentation): the views are
// stacked along the batch axis, the network runs once on all of them, and the scores are
// regrouped per view.

extension ONNXGraphBuilder {
    /// `[V·N, C, H, W]`: each view of `input` (``ONNXInputView``), concatenated along the batch
    /// axis, view by view.
    /// - Throws: ``ONNXExportError/invalidInputView(index:reason:)`` for a view of the wrong size.
    mutating func stackedViews(_ input: ONNXValue, _ views: [ONNXInputView]) throws -> ONNXValue {
        let (height, width) = (input.featureShape[1], input.featureShape[2])
        var names: [String] = []
        for (index, view) in views.enumerated() {
            func check(_ part: String, _ shape: [Int]?, _ expected: [Int]) throws {
                guard let shape, shape != expected else { return }
                throw ONNXExportError.invalidInputView(index: index, reason: "\(part) has shape \(shape), the input needs \(expected)")
            }
            try check("rows", view.rows?.shape, [height, height])
            try check("columns", view.columns?.shape, [width, width])
            try check("offset", view.offset?.shape, [height, width])
            var x = input
            if let rows = view.rows {
                x = matmul(constant("view\(index).rows", rows), x.name, featureShape: x.featureShape)
            }
            if let columns = view.columns {
                x = matmul(x.name, constant("view\(index).columns", columns), featureShape: x.featureShape)
            }
            if let offset = view.offset {
                x = node("Add", [x.name, constant("view\(index).offset", offset)], featureShape: x.featureShape)
            }
            names.append(x.name)
        }
        return node("Concat", names, [.int("axis", 0)], featureShape: input.featureShape)
    }

    /// `[V·N, K]` scores as `[V, N, K]`, view by view.
    mutating func groupedByView(_ scores: ONNXValue, viewCount: Int) throws -> ONNXValue {
        guard scores.featureShape.count == 1 else { throw ONNXExportError.outputNotClassScores(scores.featureShape) }
        let shape = constant("views.shape", int64s: [viewCount, -1, scores.featureShape[0]])
        return node("Reshape", [scores.name, shape], featureShape: scores.featureShape)
    }

    /// The first view's `[N, K]` of grouped `[V, N, K]` scores.
    mutating func firstView(_ grouped: ONNXValue) -> ONNXValue {
        node("Gather", [grouped.name, constant("views.first", int64s: [0], shape: [])], [.int("axis", 0)],
             featureShape: grouped.featureShape)
    }

    /// The mean over views, `[V, N, K]` → `[N, K]`.
    mutating func meanOverViews(_ grouped: ONNXValue) -> ONNXValue {
        node("ReduceMean", [grouped.name], [.ints("axes", [0]), .int("keepdims", 0)], featureShape: grouped.featureShape)
    }
}
