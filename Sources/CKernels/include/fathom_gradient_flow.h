#ifndef FATHOM_GRADIENT_FLOW_H
#define FATHOM_GRADIENT_FLOW_H

/// The switch of Tensor's GradientFlowCheck, tested by every raw read, raw constructor and
/// recorded op: a plain C global, so that testing it costs one load and one branch (a Swift
/// global adds a lazy-initialization call per access, a Swift `var` also an exclusivity
/// check). Nonzero when the check runs: by default in debug builds (DEBUG defined), else when
/// FATHOM_CHECK_GRADIENT_FLOW is set to anything but "0" (read before main).
extern int fathom_gradient_flow_check;

/// Whether the check runs (Swift reads the global through these: strict concurrency does not
/// let Swift name a mutable C global, and an inline function compiles to the same load).
static inline int fathom_gradient_flow_enabled(void) { return fathom_gradient_flow_check; }

/// Turns the check on or off (before any tensor exists).
static inline void fathom_gradient_flow_set_enabled(int enabled) { fathom_gradient_flow_check = enabled; }

#endif
