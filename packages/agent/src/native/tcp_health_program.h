// The loaded tcp_health.bpf.o: per-socket TCP stats in a bounded hash that
// is read whole, in map batches, once per reporting interval. Knows nothing
// about Node.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../../../../bpf/tcp/tcp_health.h"
#include "kernel_features.h"

struct bpf_object;
struct bpf_link;

namespace periscope {

struct TcpHealthConfig {
  std::string object_path;
  uint32_t exclude_tgid;
  uint32_t max_connections;
  KernelPaths paths;
};

class TcpHealthProgram {
 public:
  explicit TcpHealthProgram(const TcpHealthConfig& config);
  ~TcpHealthProgram();
  TcpHealthProgram(const TcpHealthProgram&) = delete;
  TcpHealthProgram& operator=(const TcpHealthProgram&) = delete;

  // Every tracked connection, through BPF_MAP_LOOKUP_BATCH (no per-entry syscall).
  std::vector<tcp_conn_stats> read_live() const;
  // Closed connections displaced by a new one on the same socket since the
  // last call, taken out of tcp_closed with BPF_MAP_LOOKUP_AND_DELETE_BATCH.
  std::vector<tcp_conn_stats> take_displaced();
  // Frees entries (closed connections already reported) in one batch delete.
  void remove(const std::vector<uint64_t>& sock_ids);
  // TCP_DROP_* counters summed over CPUs.
  std::vector<uint64_t> read_drop_counters() const;
  // Programs this kernel could not run, left unloaded (kernel_features.h).
  const std::vector<SwitchedOffProgram>& switched_off() const { return switched_off_; }

 private:
  void destroy();

  bpf_object* object_ = nullptr;
  std::vector<bpf_link*> links_;
  std::vector<SwitchedOffProgram> switched_off_;
  int stats_fd_ = -1;
  int closed_fd_ = -1;
  int drops_fd_ = -1;
};

}  // namespace periscope
