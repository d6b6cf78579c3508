// libbpf attaches tracepoints by id, read from tracefs; containers and
// minimal VMs often boot without it mounted.
#pragma once

#include <string>

namespace periscope {

// Mounts tracefs at /sys/kernel/tracing when no tracefs is reachable.
// Returns "" on success, otherwise a message naming the failed step.
std::string ensure_tracefs_mounted();

}  // namespace periscope
