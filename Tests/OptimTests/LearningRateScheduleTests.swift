import Foundation
import Optim
import Testing

@Suite("Learning-rate schedules equal their closed forms")
struct LearningRateScheduleTests {
    func expectRate(_ actual: Float, _ expected: Double, _ context: String,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        expectClose([actual], [expected], tolerance: 1e-6, context, sourceLocation: sourceLocation)
    }

    @Test func constant() {
        let schedule = ConstantSchedule(0.03)
        for step in [0, 1, 1_000_000] { #expect(schedule.learningRate(at: step) == 0.03) }
        #expect(schedule(7) == 0.03)
    }

    @Test func stepDecay() {
        let schedule = StepDecay(base: 0.1, stepSize: 3, gamma: 0.5)
        // 0.1 · 0.5^⌊step/3⌋
        for (step, expected) in [(0, 0.1), (2, 0.1), (3, 0.05), (5, 0.05), (7, 0.025), (30, 0.1 * pow(0.5, 10))] {
            expectRate(schedule.learningRate(at: step), expected, "StepDecay at \(step)")
        }
    }

    @Test func multiStepDecay() {
        // Milestones 2, 5 and 5 again (a repeated milestone decays twice, as in PyTorch).
        let schedule = MultiStepDecay(base: 1, milestones: [5, 2, 5], gamma: 0.1)
        for (step, expected) in [(0, 1.0), (1, 1.0), (2, 0.1), (4, 0.1), (5, 0.001), (100, 0.001)] {
            expectRate(schedule.learningRate(at: step), expected, "MultiStepDecay at \(step)")
        }
    }

    @Test func exponentialDecay() {
        let schedule = ExponentialDecay(base: 0.5, gamma: 0.9)
        for step in [0, 1, 10, 57] {
            expectRate(schedule.learningRate(at: step), 0.5 * pow(0.9, Double(step)), "ExponentialDecay at \(step)")
        }
    }

    @Test func cosineAnnealing() {
        let schedule = CosineAnnealing(base: 0.1, steps: 10, minimum: 0.001)
        expectRate(schedule.learningRate(at: 0), 0.1, "start")
        expectRate(schedule.learningRate(at: 5), 0.001 + 0.099 * 0.5, "middle")
        expectRate(schedule.learningRate(at: 10), 0.001, "end")
        expectRate(schedule.learningRate(at: 3), 0.001 + 0.099 * (1 + cos(Double.pi * 3 / 10)) / 2, "step 3")
        // Past T_max the cosine continues, as in PyTorch.
        expectRate(schedule.learningRate(at: 15), 0.001 + 0.099 * 0.5, "step 15")
    }

    /// PyTorch's CosineAnnealingLR steps by a chainable recurrence; the closed form must equal
    /// it up to rounding over several periods.
    @Test func cosineAnnealingMatchesPyTorchRecurrence() {
        let (base, minimum, period) = (0.1, 0.001, 7)
        let schedule = CosineAnnealing(base: Float(base), steps: period, minimum: Float(minimum))
        var rate = base
        for t in 1...(4 * period) {
            if (t - 1 - period) % (2 * period) == 0 {
                rate += (base - minimum) * (1 - cos(Double.pi / Double(period))) / 2
            } else {
                rate = (1 + cos(Double.pi * Double(t) / Double(period)))
                    / (1 + cos(Double.pi * Double(t - 1) / Double(period))) * (rate - minimum) + minimum
            }
            expectRate(schedule.learningRate(at: t), rate, "recurrence at \(t)")
        }
    }

    @Test func linearWarmupIntoCosine() {
        let cosine = CosineAnnealing(base: 0.2, steps: 8)
        let schedule = LinearWarmup(steps: 4, startFactor: 0.25, then: cosine)
        // 0.2 · (0.25 + 0.75 · step/4) during the warmup, then the cosine from its step 0.
        for step in 0..<4 {
            expectRate(schedule.learningRate(at: step), 0.2 * (0.25 + 0.75 * Double(step) / 4), "warmup \(step)")
        }
        expectRate(schedule.learningRate(at: 4), 0.2, "end of warmup")
        expectRate(schedule.learningRate(at: 9), 0.2 * (1 + cos(Double.pi * 5 / 8)) / 2, "cosine step 5")
        expectRate(schedule.learningRate(at: 12), 0, "cosine end")
        // PyTorch's LinearLR default start factor is 1/3.
        expectRate(LinearWarmup(steps: 3, then: ConstantSchedule(0.9)).learningRate(at: 0), 0.3, "default start")
    }

    @Test func oneCycleDefaults() {
        // max 1, 100 steps: initial 1/25 = 0.04, final 0.04/1e4; phase one ends at 0.3·100 − 1.
        let schedule = OneCycle(maximum: 1, totalSteps: 100)
        let (initial, final, peakStep) = (0.04, 0.04 / 1e4, 0.3 * 100 - 1)
        func cosine(_ start: Double, _ end: Double, _ pct: Double) -> Double {
            end + (start - end) / 2 * (cos(Double.pi * pct) + 1)
        }
        expectRate(schedule.learningRate(at: 0), initial, "step 0")
        expectRate(schedule.learningRate(at: 10), cosine(initial, 1, 10 / peakStep), "step 10")
        expectRate(schedule.learningRate(at: 29), cosine(initial, 1, 29 / peakStep), "step 29")
        expectRate(schedule.learningRate(at: 30), cosine(1, final, (30 - peakStep) / (99 - peakStep)), "step 30")
        expectRate(schedule.learningRate(at: 70), cosine(1, final, (70 - peakStep) / (99 - peakStep)), "step 70")
        expectRate(schedule.learningRate(at: 99), final, "step 99")
        expectRate(schedule.learningRate(at: 100), cosine(1, final, (100 - peakStep) / (99 - peakStep)), "step 100")
    }

    @Test func oneCycleThreePhaseLinear() {
        let schedule = OneCycle(maximum: 0.5, totalSteps: 50, percentStart: 0.25, annealing: .linear,
                                divisionFactor: 10, finalDivisionFactor: 100, threePhase: true)
        let (initial, final) = (0.05, 0.0005)
        let (end1, end2, end3) = (0.25 * 50 - 1, 2 * 0.25 * 50 - 2, 49.0)
        func linear(_ start: Double, _ end: Double, _ pct: Double) -> Double { (end - start) * pct + start }
        expectRate(schedule.learningRate(at: 5), linear(initial, 0.5, 5 / end1), "climb")
        expectRate(schedule.learningRate(at: 15), linear(0.5, initial, (15 - end1) / (end2 - end1)), "descent")
        expectRate(schedule.learningRate(at: 30), linear(initial, final, (30 - end2) / (end3 - end2)), "annihilation")
        expectRate(schedule.learningRate(at: 49), final, "end")
    }

    @Test func reduceOnPlateauFollowsPyTorch() {
        var plateau = ReduceOnPlateau(learningRate: 1, factor: 0.5, patience: 1, threshold: 0.1, cooldown: 1, minimum: 0.2)
        // Traced by hand with PyTorch's rules (relative threshold: better means < best · 0.9).
        let metrics: [Float] = [10, 9.5, 9.2, 9.1, 9.1, 8, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5]
        let rates: [Float] = [1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2]
        let reductions: Set<Int> = [2, 7, 10]
        for (epoch, metric) in metrics.enumerated() {
            let reduced = plateau.observe(metric)
            #expect(reduced == reductions.contains(epoch), "epoch \(epoch)")
            #expect(plateau.learningRate == rates[epoch], "epoch \(epoch): rate \(plateau.learningRate)")
        }
        #expect(plateau.best == 8)
    }

    @Test func reduceOnPlateauMaximizeAbsolute() {
        var plateau = ReduceOnPlateau(learningRate: 0.1, mode: .maximize, factor: 0.1, patience: 0,
                                      threshold: 0.01, thresholdMode: .absolute)
        let reductions = [plateau.observe(0.5), plateau.observe(0.52), plateau.observe(0.525)]
        // 0.52 > 0.5 + 0.01 improves; 0.525 is not > 0.53, so patience 0 reduces at once.
        #expect(reductions == [false, false, true])
        expectClose([plateau.learningRate], [0.01], "reduced rate")
    }

    @Test func reduceOnPlateauStateRoundTrips() throws {
        var plateau = ReduceOnPlateau(learningRate: 1, factor: 0.5, patience: 1, cooldown: 2)
        var fresh = plateau
        let initialMetadata = plateau.stateMetadata()
        for metric: Float in [3, 3, 3, 2.5] { plateau.observe(metric) }
        let metadata = plateau.stateMetadata(key: "plateau")
        try fresh.loadState(metadata: metadata, key: "plateau")
        #expect(fresh == plateau)
        // Both continue identically.
        for metric: Float in [2.5, 2.5, 2.5, 2.5] {
            let (a, b) = (fresh.observe(metric), plateau.observe(metric))
            #expect(a == b)
        }
        #expect(fresh == plateau)
        try fresh.loadState(metadata: initialMetadata)
        #expect(fresh.best == nil)
        #expect(throws: OptimizerStateError.missingMetadata(key: "scheduler")) { try fresh.loadState(metadata: [:]) }
    }
}
