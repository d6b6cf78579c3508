// The CPU profiler's kernel side (bpf/profile.bpf.c): loads the object,
// opens one CPU-clock perf event per online CPU at the requested rate and
// attaches the program to each, and drains the counts and stacks of the
// generation the program is not writing. Knows nothing about Node.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../../../../bpf/common/profile.h"
#include "kernel_features.h"

struct bpf_object;
struct bpf_link;
struct bpf_program;

namespace periscope {

struct ProfileConfig {
  std::string object_path;
  uint32_t hz;  // 0: loaded but not sampling
  KernelPaths paths;
};

struct ProfileCell {
  profile_key key;
  profile_value value;
};

// One stack: its id in the drained generation and its addresses, innermost first.
struct ProfileStack {
  int32_t id;
  std::vector<uint64_t> addresses;
};

struct ProfileDrain {
  std::vector<ProfileCell> cells;
  std::vector<ProfileStack> stacks;  // those the cells reference and that could still be read
  uint32_t missing_stacks = 0;       // referenced but not in the map (should stay 0: the swap prevents it)
};

class ProfileProgram {
 public:
  explicit ProfileProgram(const ProfileConfig& config);
  ~ProfileProgram();
  ProfileProgram(const ProfileProgram&) = delete;
  ProfileProgram& operator=(const ProfileProgram&) = delete;

  // Closes the perf events and, unless hz is 0, opens them again at hz.
  void set_rate(uint32_t hz);
  uint32_t rate() const { return hz_; }
  // CPUs sampled now (online CPUs whose perf event opened).
  uint32_t cpus() const { return static_cast<uint32_t>(links_.size()); }
  // Flips the generation and returns everything the old one held, leaving it empty.
  ProfileDrain drain();
  // Cumulative drop counters summed over CPUs, indexed by enum profile_drop.
  std::vector<uint64_t> read_drop_counters() const;

 private:
  void close_events();
  void destroy();

  bpf_object* object_ = nullptr;
  bpf_program* program_ = nullptr;
  std::vector<bpf_link*> links_;
  int active_fd_ = -1;
  int counts_fd_[2] = {-1, -1};
  int stacks_fd_[2] = {-1, -1};
  int drops_fd_ = -1;
  uint32_t active_ = 0;
  uint32_t hz_ = 0;
};

// The CPUs in /sys/devices/system/cpu/online ("0-3,6").
std::vector<int> online_cpus();

}  // namespace periscope
