// fathom-distributed-check: the programs DistributedTrainingTests runs under `mpirun`.
//
//   fathom-distributed-check collectives
//   fathom-distributed-check train DATA.npz OUT.safetensors [--steps 20] [--batch-size 32] [--seed 7]
//   fathom-distributed-check die RANK           (that rank SIGKILLs itself amid all-reduces)
//   fathom-distributed-check fail RANK          (that rank reports an error and aborts the job)
//
// Each prints one line per rank and exits 0 when everything held; a failed check ends the
// whole job through ProcessGroup.abort with a message naming the rank.
import DistributedTraining
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let group: ProcessGroup
do {
    group = try ProcessGroup.world()
} catch {
    FileHandle.standardError.write(Data("fathom-distributed-check: \(error)\n".utf8))
    exit(2)
}
do {
    switch arguments.first {
    case "collectives": try CollectiveChecks(group: group).run()
    case "train": try EquivalenceTraining(arguments: Array(arguments.dropFirst()), group: group).run()
    case "die": try FailureDrill(group: group, failingRank: Int(arguments.last ?? "") ?? 1).dieBySignal()
    case "fail": try FailureDrill(group: group, failingRank: Int(arguments.last ?? "") ?? 1).abortWithError()
    default: group.abort("usage: fathom-distributed-check collectives | train DATA OUT | die RANK | fail RANK", code: 2)
    }
} catch {
    group.abort("\(error)")
}
