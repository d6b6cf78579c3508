// libbpf attaches tracepoints by id, read from tracefs; containers and
// minimal VMs often boot without it mounted.
#pragma once

#include <string>

namespace periscope {

// With no configured path: mounts tracefs at /sys/kernel/tracing when no
// tracefs is reachable. A configured path (PERISCOPE_TRACEFS_PATH) is only
// checked: the operator chose it, so the agent mounts nothing there.
// Returns "" on success, otherwise a message naming the failed step.
std::string ensure_tracefs_mounted(const std::string& configured);

}  // namespace periscope
