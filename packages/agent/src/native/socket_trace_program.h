// The loaded socket_trace.bpf.o: opened, configured, verified and attached
// to its tracepoints. Knows nothing about Node; errors are std::runtime_error
// whose message names the failing step and strerror(errno).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kernel_features.h"

struct bpf_object;
struct bpf_link;

namespace periscope {

struct SocketTraceConfig {
  std::string object_path;
  uint32_t exclude_tgid;
  uint32_t capture_bytes;
  KernelPaths paths;
};

// Kernel drop counters summed over CPUs, in enum drop_counter order.
struct DropCounters {
  uint64_t ringbuf_full;
  uint64_t conn_map_full;
  uint64_t read_failed;
  uint64_t sampled_out;
  uint64_t disabled_payload;
  uint64_t mmsg_truncated;
};

// struct capture_config's fields (bpf/common/socket_trace.h), validated by the caller.
struct CaptureControls {
  std::vector<uint32_t> capture_bytes;  // by enum source_syscall, PERISCOPE_SYSCALL_SLOTS entries
  uint32_t disabled_protocols;
  uint32_t filter_flags;
  uint32_t sample_every;
};

// One entry of pid_filter (key: tgid) or cgroup_filter (key: cgroup id).
struct FilterEntry {
  uint64_t key;
  uint32_t marks;  // enum filter_mark bits
};

class SocketTraceProgram {
 public:
  // Open, set the agent's tgid and capture cap, load and attach everything.
  explicit SocketTraceProgram(const SocketTraceConfig& config);
  ~SocketTraceProgram();
  SocketTraceProgram(const SocketTraceProgram&) = delete;
  SocketTraceProgram& operator=(const SocketTraceProgram&) = delete;

  // Takes effect for the next syscall; bytes must be <= PERISCOPE_MAX_CAPTURE.
  // Sets every syscall's cap, keeping the other controls.
  void set_capture_bytes(uint32_t bytes);
  // Rewrites capture_config as a whole.
  void set_controls(const CaptureControls& controls);
  // Makes pid_filter ("pid") or cgroup_filter ("cgroup") hold exactly `entries`.
  void replace_filter(const std::string& which, const std::vector<FilterEntry>& entries);
  // Stops payload copies for (tgid, fd, generation) until it closes.
  void disable_connection(uint32_t tgid, int32_t fd, uint32_t generation);
  DropCounters read_drop_counters() const;
  // Kernel state kept for one process: conn_map and disabled_conns entries,
  // and whether traced_tgids lists it (tests check all are released at exit).
  struct ProcessState {
    uint32_t connections;
    uint32_t disabled;
    bool traced;
  };
  ProcessState process_state(uint32_t tgid) const;
  int events_map_fd() const;
  // For TlsUprobes, which attaches this object's uprobe programs per binary.
  bpf_object* object() const { return object_; }
  // Programs this kernel could not run, left unloaded (kernel_features.h).
  const std::vector<SwitchedOffProgram>& switched_off() const { return switched_off_; }

 private:
  void size_scratch_per_cpu();
  void attach_all(const KernelPaths& paths);
  void destroy();

  bpf_object* object_ = nullptr;
  std::vector<bpf_link*> links_;
  std::vector<SwitchedOffProgram> switched_off_;
};

}  // namespace periscope
