import ArgumentParser
import PneumoniaKit

// The training choices as command-line values: their raw values are the spellings, and
// ArgumentParser lists them in the help and in the error for anything else.

extension OptimizerChoice: ExpressibleByArgument {}
extension ScheduleChoice: ExpressibleByArgument {}
extension Augmentation: ExpressibleByArgument {}
extension Preprocessing.Intensity: ExpressibleByArgument {}
extension ClassBalanceChoice: ExpressibleByArgument {}
extension ThresholdRule: ExpressibleByArgument {}
extension CalibrationChoice: ExpressibleByArgument {}
