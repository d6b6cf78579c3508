#include "profile_program.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "bpf_object_util.h"
#include "libbpf_log.h"

namespace periscope {

namespace {

constexpr uint32_t kMaxHz = 499;
constexpr uint32_t kBatchEntries = 1024;

int open_cpu_clock(int cpu, uint32_t hz) {
  perf_event_attr attr{};
  attr.size = sizeof(attr);
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.freq = 1;
  attr.sample_freq = hz;
  return static_cast<int>(syscall(__NR_perf_event_open, &attr, -1 /* every process */, cpu, -1, PERF_FLAG_FD_CLOEXEC));
}

}  // namespace

std::vector<int> online_cpus() {
  std::ifstream file("/sys/devices/system/cpu/online");
  std::string text;
  std::getline(file, text);
  std::vector<int> cpus;
  std::stringstream ranges(text);
  std::string range;
  while (std::getline(ranges, range, ',')) {
    if (range.empty()) continue;
    size_t dash = range.find('-');
    int first = std::stoi(range.substr(0, dash));
    int last = dash == std::string::npos ? first : std::stoi(range.substr(dash + 1));
    for (int cpu = first; cpu <= last; cpu++) cpus.push_back(cpu);
  }
  return cpus;
}

ProfileProgram::ProfileProgram(const ProfileConfig& config) {
  install_libbpf_log_capture();
  clear_libbpf_log();
  object_ = open_bpf_object(config.object_path, config.paths);
  if (object_ == nullptr) fail_bpf_step("open BPF object " + config.object_path, errno);
  try {
    if (bpf_object__load(object_) != 0) fail_bpf_step("load BPF object " + config.object_path, errno);
    program_ = bpf_object__find_program_by_name(object_, "profile_sample");
    if (program_ == nullptr) throw std::runtime_error("find program profile_sample: not in the BPF object");
    active_fd_ = bpf_map__fd(find_bpf_map(object_, "profile_active"));
    counts_fd_[0] = bpf_map__fd(find_bpf_map(object_, "counts_0"));
    counts_fd_[1] = bpf_map__fd(find_bpf_map(object_, "counts_1"));
    stacks_fd_[0] = bpf_map__fd(find_bpf_map(object_, "stacks_0"));
    stacks_fd_[1] = bpf_map__fd(find_bpf_map(object_, "stacks_1"));
    drops_fd_ = bpf_map__fd(find_bpf_map(object_, "profile_drops"));
    set_rate(config.hz);
  } catch (...) {
    destroy();
    throw;
  }
}

ProfileProgram::~ProfileProgram() { destroy(); }

void ProfileProgram::close_events() {
  // A perf_event link owns its event: destroying it closes the fd too.
  for (bpf_link* link : links_) bpf_link__destroy(link);
  links_.clear();
}

void ProfileProgram::destroy() {
  close_events();
  if (object_ != nullptr) bpf_object__close(object_);
  object_ = nullptr;
}

void ProfileProgram::set_rate(uint32_t hz) {
  if (hz > kMaxHz) throw std::runtime_error("profiler rate " + std::to_string(hz) + " Hz: above " + std::to_string(kMaxHz));
  close_events();
  hz_ = hz;
  if (hz == 0) return;
  std::string first_error;
  for (int cpu : online_cpus()) {
    int fd = open_cpu_clock(cpu, hz);
    if (fd < 0) {
      // ENODEV: the CPU went offline since the list was read.
      if (errno != ENODEV && first_error.empty()) first_error = "perf_event_open cpu " + std::to_string(cpu) + ": " + strerror(errno);
      continue;
    }
    bpf_link* link = bpf_program__attach_perf_event(program_, fd);
    if (link == nullptr) {
      int err = errno;
      close(fd);
      close_events();
      fail_bpf_step("attach profile_sample to cpu " + std::to_string(cpu), err);
    }
    links_.push_back(link);
  }
  if (links_.empty()) {
    hz_ = 0;
    throw std::runtime_error(first_error.empty() ? "profiler: no online CPU" : first_error);
  }
}

namespace {

void take_cells(int fd, std::vector<ProfileCell>& out) {
  uint32_t chunk = kBatchEntries;
  std::vector<profile_key> keys;
  std::vector<profile_value> values;
  profile_key token{};
  bool first = true;
  LIBBPF_OPTS(bpf_map_batch_opts, opts);
  for (;;) {
    keys.resize(chunk);
    values.resize(chunk);
    uint32_t count = chunk;
    int rc = bpf_map_lookup_and_delete_batch(fd, first ? nullptr : &token, &token, keys.data(), values.data(), &count,
                                             &opts);
    int err = rc == 0 ? 0 : errno;
    if (rc != 0 && err == ENOSPC && count == 0) {
      chunk *= 2;
      continue;
    }
    if (rc != 0 && err != ENOENT) fail_bpf_step("drain profile counts (batch)", err);
    for (uint32_t i = 0; i < count; i++) out.push_back(ProfileCell{keys[i], values[i]});
    if (rc != 0) break;
    first = false;
  }
}

}  // namespace

ProfileDrain ProfileProgram::drain() {
  if (object_ == nullptr) throw std::runtime_error("profiler is closed");
  uint32_t zero = 0;
  uint32_t old = active_;
  uint32_t next = 1 - active_;
  if (bpf_map_update_elem(active_fd_, &zero, &next, BPF_ANY) != 0) fail_bpf_step("flip profile generation", errno);
  active_ = next;
  // A sample that read the old generation just before the flip may still be
  // writing it on another CPU; perf_event programs run with interrupts off and
  // finish in microseconds, so a millisecond covers them.
  std::this_thread::sleep_for(std::chrono::milliseconds(1));

  ProfileDrain result;
  take_cells(counts_fd_[old], result.cells);

  std::set<int32_t> wanted;
  for (const ProfileCell& cell : result.cells) {
    if (cell.key.user_stack_id >= 0) wanted.insert(cell.key.user_stack_id);
    if (cell.key.kernel_stack_id >= 0) wanted.insert(cell.key.kernel_stack_id);
  }
  uint64_t frames[PROFILE_MAX_DEPTH];
  for (int32_t id : wanted) {
    uint32_t key = static_cast<uint32_t>(id);
    if (bpf_map_lookup_elem(stacks_fd_[old], &key, frames) != 0) {
      result.missing_stacks++;
      continue;
    }
    ProfileStack stack{id, {}};
    for (uint64_t address : frames) {
      if (address == 0) break;  // the kernel zero-fills past the stack's depth
      stack.addresses.push_back(address);
    }
    result.stacks.push_back(std::move(stack));
  }
  // Every id goes, referenced or not (a stack whose cell found no room).
  std::vector<uint32_t> ids;
  uint32_t key = 0;
  void* previous = nullptr;
  while (bpf_map_get_next_key(stacks_fd_[old], previous, &key) == 0) {
    ids.push_back(key);
    previous = &key;
  }
  for (uint32_t id : ids) bpf_map_delete_elem(stacks_fd_[old], &id);
  return result;
}

std::vector<uint64_t> ProfileProgram::read_drop_counters() const {
  int cpus = libbpf_num_possible_cpus();
  if (cpus <= 0) fail_bpf_step("count possible CPUs", -cpus);
  std::vector<uint64_t> totals(PROFILE_DROP_MAX, 0);
  std::vector<uint64_t> per_cpu(static_cast<size_t>(cpus));
  for (uint32_t key = 0; key < PROFILE_DROP_MAX; key++) {
    if (bpf_map_lookup_elem(drops_fd_, &key, per_cpu.data()) != 0) fail_bpf_step("read map profile_drops", errno);
    for (uint64_t value : per_cpu) totals[key] += value;
  }
  return totals;
}

}  // namespace periscope
