// The loaded socket_trace.bpf.o: opened, configured, verified and attached
// to its tracepoints. Knows nothing about Node; errors are std::runtime_error
// whose message names the failing step and strerror(errno).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct bpf_object;
struct bpf_link;

namespace periscope {

struct SocketTraceConfig {
  std::string object_path;
  uint32_t exclude_tgid;
  uint32_t capture_bytes;
};

// Kernel drop counters summed over CPUs, in enum drop_counter order.
struct DropCounters {
  uint64_t ringbuf_full;
  uint64_t conn_map_full;
  uint64_t read_failed;
};

class SocketTraceProgram {
 public:
  // Open, set the agent's tgid and capture cap, load and attach everything.
  explicit SocketTraceProgram(const SocketTraceConfig& config);
  ~SocketTraceProgram();
  SocketTraceProgram(const SocketTraceProgram&) = delete;
  SocketTraceProgram& operator=(const SocketTraceProgram&) = delete;

  // Takes effect for the next syscall; bytes must be <= PERISCOPE_MAX_CAPTURE.
  void set_capture_bytes(uint32_t bytes);
  DropCounters read_drop_counters() const;
  int events_map_fd() const;

 private:
  void set_self_tgid(uint32_t tgid);
  void size_scratch_per_cpu();
  void attach_all();
  void destroy();

  bpf_object* object_ = nullptr;
  std::vector<bpf_link*> links_;
};

}  // namespace periscope
