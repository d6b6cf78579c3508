#include "tracefs.h"

#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace periscope {
namespace {

// libbpf 1.1 looks in the debugfs location first, then the tracefs one.
constexpr const char* kDebugfsEvents = "/sys/kernel/debug/tracing/events";
constexpr const char* kTracefs = "/sys/kernel/tracing";
constexpr const char* kTracefsEvents = "/sys/kernel/tracing/events";

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

}  // namespace

std::string ensure_tracefs_mounted(const std::string& configured) {
  if (!configured.empty()) {
    if (exists(configured + "/events")) return "";
    return "no tracefs at " + configured + " (" + configured + "/events: " + strerror(errno) +
           "; PERISCOPE_TRACEFS_PATH names it)";
  }
  if (exists(kTracefsEvents) || exists(kDebugfsEvents)) return "";
  if (mount("tracefs", kTracefs, "tracefs", 0, nullptr) != 0) {
    return std::string("mount tracefs at ") + kTracefs + ": " + strerror(errno) +
           " (run: mount -t tracefs tracefs " + kTracefs + ")";
  }
  return "";
}

}  // namespace periscope
