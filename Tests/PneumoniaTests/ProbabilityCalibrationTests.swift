import Foundation
import PneumoniaKit
import Tensor
import Testing

/// Temperature and Platt scaling: the fitted parameters against a brute-force search of the
/// likelihood in Double, recovery of a known miscalibration, and the exactness of the map
/// between scales.
@Suite struct ProbabilityCalibrationTests {
    /// Scores whose true log-odds are the raw log-odds divided by `trueTemperature`: the raw
    /// scores are over-confident by that factor.
    static func miscalibrated(count: Int, trueTemperature: Double, trueIntercept: Double = 0, seed: UInt64) -> (labels: [Int], probabilities: [Float]) {
        var generator = RandomGenerator(seed: seed)
        var labels: [Int] = [], probabilities: [Float] = []
        for _ in 0..<count {
            let z = (generator.nextUnitDouble() - 0.5) * 16  // raw log-odds in [−8, 8]
            let truth = 1 / (1 + exp(-(z / trueTemperature + trueIntercept)))
            labels.append(generator.nextUnitDouble() < truth ? 1 : 0)
            probabilities.append(Float(1 / (1 + exp(-z))))
        }
        return (labels, probabilities)
    }

    /// Mean negative log-likelihood at temperature `t`, written out in Double.
    static func referenceLoss(_ labels: [Int], _ probabilities: [Float], temperature t: Double, intercept b: Double = 0) -> Double {
        var total = 0.0
        for (y, p) in zip(labels, probabilities) {
            let q = min(max(Double(p), 1e-7), 1 - 1e-7)
            let scaled = 1 / (1 + exp(-(log(q / (1 - q)) / t + b)))
            total -= y == 1 ? log(scaled) : log(1 - scaled)
        }
        return total / Double(labels.count)
    }

    @Test func fitMatchesABruteForceSearchAndRecoversTheTemperature() {
        let (labels, probabilities) = Self.miscalibrated(count: 20_000, trueTemperature: 2.5, seed: 3)
        let fitted = ProbabilityCalibration(.temperature, fittedTo: labels, probabilities: probabilities)
        // Grid over T in steps of 0.001 around the truth.
        var bestT = 0.0, bestLoss = Double.infinity
        for i in 1_500...4_000 {
            let t = Double(i) / 1000
            let loss = Self.referenceLoss(labels, probabilities, temperature: t)
            if loss < bestLoss { (bestT, bestLoss) = (t, loss) }
        }
        #expect(abs(fitted.temperature - bestT) <= 0.001, "fitted \(fitted.temperature), grid minimum \(bestT)")
        #expect(abs(fitted.temperature - 2.5) < 0.15, "the data's true temperature is 2.5; fitted \(fitted.temperature)")
        #expect(abs(fitted.negativeLogLikelihoodAfter - Self.referenceLoss(labels, probabilities, temperature: fitted.temperature)) < 1e-9)
        #expect(abs(fitted.negativeLogLikelihoodBefore - Self.referenceLoss(labels, probabilities, temperature: 1)) < 1e-9)
        #expect(fitted.negativeLogLikelihoodAfter < fitted.negativeLogLikelihoodBefore)
        #expect(fitted.count == 20_000)
    }

    @Test func plattScalingMatchesAGridSearchAndRecoversSlopeAndIntercept() {
        // Scores shifted towards normal and too soft, like the folder recipe's.
        let (labels, probabilities) = Self.miscalibrated(count: 20_000, trueTemperature: 0.7, trueIntercept: 1.5, seed: 6)
        let fitted = ProbabilityCalibration(.platt, fittedTo: labels, probabilities: probabilities)
        #expect(fitted.method == .platt)
        #expect(abs(fitted.temperature - 0.7) < 0.05 && abs(fitted.intercept - 1.5) < 0.1, "fitted T \(fitted.temperature), b \(fitted.intercept)")
        // A grid around the fit, 0.002 in each direction: nothing beats the fit.
        var best = Double.infinity
        for i in -10...10 {
            for j in -10...10 {
                best = min(best, Self.referenceLoss(labels, probabilities, temperature: fitted.temperature + Double(i) * 0.002,
                                                    intercept: fitted.intercept + Double(j) * 0.002))
            }
        }
        let atFit = Self.referenceLoss(labels, probabilities, temperature: fitted.temperature, intercept: fitted.intercept)
        #expect(atFit <= best + 1e-12, "the grid found \(best) below the fit's \(atFit)")
        #expect(abs(fitted.negativeLogLikelihoodAfter - atFit) < 1e-9)
        // It beats temperature scaling, which cannot move the scores.
        let temperatureOnly = ProbabilityCalibration(.temperature, fittedTo: labels, probabilities: probabilities)
        #expect(fitted.negativeLogLikelihoodAfter < temperatureOnly.negativeLogLikelihoodAfter)
        // The map and its inverse.
        for p: Float in [0.01, 0.2, 0.5, 0.77, 0.99] {
            let reference = 1 / (1 + exp(-(log(Double(p) / (1 - Double(p))) / fitted.temperature + fitted.intercept)))
            #expect(abs(Double(fitted.calibrate(p)) - reference) < 1e-6)
            #expect(abs(fitted.uncalibrate(fitted.calibrate(p)) - p) < 2e-6)
        }
    }

    @Test func underConfidentScoresAreSharpened() {
        let (labels, probabilities) = Self.miscalibrated(count: 20_000, trueTemperature: 0.5, seed: 4)
        let fitted = ProbabilityCalibration(.temperature, fittedTo: labels, probabilities: probabilities)
        #expect(abs(fitted.temperature - 0.5) < 0.05, "fitted \(fitted.temperature)")
    }

    @Test func singleClassDataKeepsTheScores() {
        for method in ProbabilityCalibration.Method.allCases {
            let fitted = ProbabilityCalibration(method, fittedTo: [1, 1, 1], probabilities: [0.2, 0.7, 0.9])
            #expect(fitted.temperature == 1 && fitted.intercept == 0)
            #expect(fitted.calibrate(0.7) == 0.7)
        }
    }

    @Test func perfectlySeparatedDataStopsAtTheRangeBound() {
        let fitted = ProbabilityCalibration(.temperature, fittedTo: [0, 0, 1, 1], probabilities: [0.1, 0.3, 0.6, 0.95])
        #expect(abs(fitted.temperature - ProbabilityCalibration.temperatureRange.lowerBound) < 1e-6)
        // Platt scaling's Newton steps run into the bounds and stop there, with finite scores.
        let platt = ProbabilityCalibration(.platt, fittedTo: [0, 0, 1, 1], probabilities: [0.1, 0.3, 0.6, 0.95])
        #expect(ProbabilityCalibration.temperatureRange.contains(platt.temperature))
        #expect(ProbabilityCalibration.interceptRange.contains(platt.intercept))
        #expect(platt.negativeLogLikelihoodAfter < platt.negativeLogLikelihoodBefore)
        #expect([0.1, 0.3, 0.6, 0.95].allSatisfy { platt.calibrate($0).isFinite })
    }

    @Test func theMapIsMonotoneInvertibleAndKeepsOneHalf() {
        let scaling = ProbabilityCalibration(temperature: 1.7)
        #expect(scaling.calibrate(0.5) == 0.5 && scaling.uncalibrate(0.5) == 0.5)
        var previous: Float = 0
        for i in 1..<1000 {
            let p = Float(i) / 1000
            let q = scaling.calibrate(p)
            #expect(q > previous, "strictly increasing at \(p)")
            previous = q
            #expect(abs(scaling.uncalibrate(q) - p) < 2e-6)
            // Reference: sigmoid(logit(p) / T) in Double.
            let reference = 1 / (1 + exp(-log(Double(p) / (1 - Double(p))) / 1.7))
            #expect(abs(Double(q) - reference) < 1e-6)
        }
        // Decisions agree between the scales for a threshold mapped across.
        let threshold: Float = 0.31
        for i in 0...200 {
            let p = Float(i) / 200
            if abs(p - scaling.uncalibrate(threshold)) < 1e-4 { continue }  // too close to call in Float
            #expect((p >= scaling.uncalibrate(threshold)) == (scaling.calibrate(p) >= threshold))
        }
    }

    @Test func runsWithoutCalibrationDecodeAsRawScores() throws {
        let run = try ServeFixture.run.get()
        let metadata = try run.readMetadata()
        #expect(metadata.calibration == nil)
        let classifier = try Classifier(run: run)
        #expect(!classifier.isCalibrated && classifier.threshold == metadata.threshold)
        var calibrated = metadata
        calibrated.calibration = ProbabilityCalibration(temperature: 2)
        let roundTrip = try JSONDecoder().decode(RunMetadata.self, from: JSONEncoder().encode(calibrated))
        #expect(roundTrip.calibration == calibrated.calibration)
        let scaled = Classifier(model: classifier.model, metadata: calibrated)
        let unscaled = Classifier(model: classifier.model, metadata: calibrated, calibrated: false)
        #expect(scaled.isCalibrated && scaled.threshold == metadata.threshold)
        #expect(unscaled.threshold == ProbabilityCalibration(temperature: 2).uncalibrate(metadata.threshold))
        var generator = RandomGenerator(seed: 5)
        let batch = Tensor.normal([3, 1, 64, 64], generator: &generator)
        for (p, q) in zip(unscaled.probabilities(batch: batch), scaled.probabilities(batch: batch)) {
            #expect(abs(ProbabilityCalibration(temperature: 2).calibrate(p) - q) <= 1e-7)
        }
    }
}
