import DistributedTraining

/// Ends the whole job with `message` (naming this rank) unless `condition` holds.
func require(_ condition: Bool, _ message: @autoclosure () -> String, group: ProcessGroup) {
    if !condition { group.abort("check failed: \(message())") }
}
