import PneumoniaKit
import Testing

/// Binary metrics against hand-computed confusion matrices and AUCs.
@Suite struct MetricsTests {
    // labels and scores chosen so each count is known: threshold 0.5 gives
    // tn = 3 (0.1, 0.2, 0.4), fp = 1 (0.7), fn = 2 (0.3, 0.45), tp = 4 (0.5, 0.6, 0.8, 0.9).
    let labels = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    let scores: [Float] = [0.1, 0.2, 0.4, 0.7, 0.3, 0.45, 0.5, 0.6, 0.8, 0.9]

    @Test func confusionMatrixAndDerivedMetrics() {
        let m = ConfusionMatrix(labels: labels, scores: scores, threshold: 0.5)
        #expect(m == ConfusionMatrix(tn: 3, fp: 1, fn: 2, tp: 4))
        #expect(m.accuracy == 7.0 / 10)
        #expect(m.precision == 4.0 / 5)
        #expect(m.recall == 4.0 / 6)
        #expect(m.specificity == 3.0 / 4)
        #expect(abs(m.f1 - 2 * 0.8 * (4.0 / 6) / (0.8 + 4.0 / 6)) < 1e-12)
    }

    @Test func undefinedRatiosAreNaN() {
        let allNegative = ConfusionMatrix(labels: [0, 0], scores: [0.1, 0.2], threshold: 0.5)
        #expect(allNegative.precision.isNaN)  // nothing predicted positive
        #expect(allNegative.recall.isNaN)     // no positives
        #expect(allNegative.specificity == 1)
    }

    @Test func aucCountsPairsWithTiesAsHalf() throws {
        // 4 negatives × 6 positives = 24 pairs. Positive above negative: 0.3 beats 0.1, 0.2 (2);
        // 0.45 beats 0.1, 0.2, 0.4 (3); 0.5 and 0.6 beat three each (6); 0.8 and 0.9 beat all four (8).
        // Total 19 of 24.
        #expect(abs(try RankingMetrics.rocAUC(labels: labels, scores: scores) - 19.0 / 24) < 1e-12)
        // All scores tied: every pair is a tie, AUC = 0.5.
        #expect(try RankingMetrics.rocAUC(labels: [0, 1, 0, 1], scores: [0.3, 0.3, 0.3, 0.3]) == 0.5)
        // One tie between a positive and a negative, otherwise perfect: (3 + 0.5) / 4.
        #expect(try RankingMetrics.rocAUC(labels: [0, 0, 1, 1], scores: [0.1, 0.5, 0.5, 0.9]) == 3.5 / 4)
        // Perfectly inverted.
        #expect(try RankingMetrics.rocAUC(labels: [1, 1, 0, 0], scores: [0.1, 0.2, 0.8, 0.9]) == 0)
    }

    @Test func aucWithOneClassIsAClearError() {
        #expect(throws: RankingMetrics.Failure.singleClass(positives: 3, negatives: 0)) {
            try RankingMetrics.rocAUC(labels: [1, 1, 1], scores: [0.2, 0.5, 0.9])
        }
        #expect(EvaluationReport(labels: [1, 1], scores: [0.4, 0.6], threshold: 0.5).auc.isNaN)
        #expect(throws: RankingMetrics.Failure.nanScore(index: 1)) {
            try RankingMetrics.rocAUC(labels: [0, 1], scores: [0.2, .nan])
        }
    }

    @Test func rocCurveGroupsTiesIntoOneStep() throws {
        let curve = try RankingMetrics.rocCurve(labels: [0, 1, 1, 0], scores: [0.2, 0.9, 0.5, 0.5])
        #expect(curve.map(\.fpr) == [0, 0, 0.5, 1])
        #expect(curve.map(\.tpr) == [0, 0.5, 1, 1])
    }

    @Test func averagePrecisionByHand() throws {
        // Ranked: 0.9(+) 0.8(-) 0.7(+) 0.1(-): recall steps 0.5 at P=1, 1.0 at P=2/3.
        let ap = try RankingMetrics.averagePrecision(labels: [1, 0, 1, 0], scores: [0.9, 0.8, 0.7, 0.1])
        #expect(abs(ap - (0.5 * 1 + 0.5 * 2.0 / 3)) < 1e-12)
    }

    @Test func reportJSONHasTheDocumentedKeys() {
        let report = EvaluationReport(labels: labels, scores: scores, threshold: 0.5)
        let keys = Set(report.jsonObject.keys)
        #expect(keys.isSuperset(of: ["accuracy", "precision", "recall", "specificity", "f1", "auc", "confusion", "threshold", "n"]))
        #expect((report.jsonObject["confusion"] as? [String: Int]) == ["tn": 3, "fp": 1, "fn": 2, "tp": 4])
        #expect(report.jsonObject["n"] as? Int == 10)
    }
}
