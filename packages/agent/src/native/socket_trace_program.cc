#include "socket_trace_program.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "../../../../bpf/common/socket_trace.h"
#include "bpf_object_util.h"
#include "libbpf_log.h"
#include "uprobe_attach.h"

namespace periscope {
namespace {

constexpr const char* kSelfTgidVariable = "self_tgid";

// "tracepoint/syscalls/sys_enter_read" -> "attach tracepoint syscalls/sys_enter_read"
std::string attach_step(bpf_program* program) {
  std::string section = bpf_program__section_name(program);
  size_t slash = section.find('/');
  if (slash == std::string::npos) return "attach " + section;
  return "attach " + section.substr(0, slash) + " " + section.substr(slash + 1);
}

}  // namespace

SocketTraceProgram::SocketTraceProgram(const SocketTraceConfig& config) {
  install_libbpf_log_capture();
  clear_libbpf_log();
  if (config.capture_bytes > PERISCOPE_MAX_CAPTURE) {
    throw std::runtime_error("capture bytes " + std::to_string(config.capture_bytes) + " above the maximum " +
                             std::to_string(PERISCOPE_MAX_CAPTURE));
  }

  object_ = open_bpf_object(config.object_path, config.paths);
  if (object_ == nullptr) fail_bpf_step("open BPF object " + config.object_path, errno);

  try {
    set_rodata_u32(object_, kSelfTgidVariable, config.exclude_tgid);
    size_scratch_per_cpu();
    switched_off_ = switch_off_unsupported(object_, config.paths);
    if (bpf_object__load(object_) != 0) fail_bpf_step("load BPF object " + config.object_path, errno);
    set_capture_bytes(config.capture_bytes);
    attach_all(config.paths);
  } catch (...) {
    destroy();
    throw;
  }
}

SocketTraceProgram::~SocketTraceProgram() { destroy(); }

void SocketTraceProgram::destroy() {
  for (bpf_link* link : links_) bpf_link__destroy(link);
  links_.clear();
  if (object_ != nullptr) bpf_object__close(object_);
  object_ = nullptr;
}

// data_scratch holds one record per CPU; its size is only known here.
void SocketTraceProgram::size_scratch_per_cpu() {
  int cpus = libbpf_num_possible_cpus();
  if (cpus <= 0) fail_bpf_step("count possible CPUs", -cpus);
  if (bpf_map__set_max_entries(find_bpf_map(object_, "data_scratch"), static_cast<uint32_t>(cpus)) != 0) {
    fail_bpf_step("size map data_scratch", errno);
  }
}

void SocketTraceProgram::attach_all(const KernelPaths& paths) {
  bpf_program* program = nullptr;
  bpf_object__for_each_program(program, object_) {
    // TLS uprobes (bpf/tls/) name no binary: uprobe_attach.cc attaches them per library.
    if (is_tls_uprobe(program) || !bpf_program__autoload(program)) continue;
    clear_libbpf_log();
    bpf_link* link = attach_program(program, paths);
    if (link == nullptr) fail_bpf_step(attach_step(program), errno);
    links_.push_back(link);
  }
}

void SocketTraceProgram::set_capture_bytes(uint32_t bytes) {
  if (bytes > PERISCOPE_MAX_CAPTURE) throw std::runtime_error("set capture bytes: above PERISCOPE_MAX_CAPTURE");
  uint32_t key = 0;
  capture_config value = {};
  bpf_map* map = find_bpf_map(object_, "capture_config");
  if (bpf_map__lookup_elem(map, &key, sizeof(key), &value, sizeof(value), 0) != 0) fail_bpf_step("read map capture_config", errno);
  for (uint32_t& slot : value.capture_bytes) slot = bytes;
  if (bpf_map__update_elem(map, &key, sizeof(key), &value, sizeof(value), BPF_ANY) != 0) {
    fail_bpf_step("update map capture_config", errno);
  }
}

void SocketTraceProgram::set_controls(const CaptureControls& controls) {
  if (controls.capture_bytes.size() != PERISCOPE_SYSCALL_SLOTS) throw std::runtime_error("set controls: need one cap per syscall slot");
  uint32_t key = 0;
  capture_config value = {};
  for (size_t i = 0; i < PERISCOPE_SYSCALL_SLOTS; i++) {
    if (controls.capture_bytes[i] > PERISCOPE_MAX_CAPTURE) throw std::runtime_error("set controls: cap above PERISCOPE_MAX_CAPTURE");
    value.capture_bytes[i] = controls.capture_bytes[i];
  }
  value.disabled_protocols = controls.disabled_protocols;
  value.filter_flags = controls.filter_flags;
  value.sample_every = controls.sample_every;
  bpf_map* map = find_bpf_map(object_, "capture_config");
  if (bpf_map__update_elem(map, &key, sizeof(key), &value, sizeof(value), BPF_ANY) != 0) {
    fail_bpf_step("update map capture_config", errno);
  }
}

// Adds and updates first, then deletes what is no longer wanted, so a key
// kept across the change is never briefly missing.
void SocketTraceProgram::replace_filter(const std::string& which, const std::vector<FilterEntry>& entries) {
  const bool pid = which == "pid";
  if (!pid && which != "cgroup") throw std::runtime_error("replace filter: unknown filter " + which);
  const char* name = pid ? "pid_filter" : "cgroup_filter";
  bpf_map* map = find_bpf_map(object_, name);
  const size_t key_size = pid ? sizeof(uint32_t) : sizeof(uint64_t);
  if (entries.size() > bpf_map__max_entries(map)) {
    throw std::runtime_error(std::string("update map ") + name + ": more entries than its " +
                             std::to_string(bpf_map__max_entries(map)) + " slots");
  }
  std::vector<uint64_t> wanted;
  for (const FilterEntry& entry : entries) {
    uint32_t tgid = static_cast<uint32_t>(entry.key);
    const void* key = pid ? static_cast<const void*>(&tgid) : static_cast<const void*>(&entry.key);
    if (bpf_map__update_elem(map, key, key_size, &entry.marks, sizeof(entry.marks), BPF_ANY) != 0) {
      fail_bpf_step(std::string("update map ") + name, errno);
    }
    wanted.push_back(pid ? tgid : entry.key);
  }
  std::vector<uint64_t> stale;
  uint64_t current = 0, next = 0;
  const void* previous = nullptr;
  while (bpf_map__get_next_key(map, previous, &next, key_size) == 0) {
    uint64_t value = next;
    if (pid) {
      uint32_t tgid = 0;
      memcpy(&tgid, &next, sizeof(tgid));
      value = tgid;
    }
    bool keep = false;
    for (uint64_t w : wanted) keep = keep || w == value;
    if (!keep) stale.push_back(value);
    current = next;
    previous = &current;
  }
  for (uint64_t value : stale) {
    uint32_t tgid = static_cast<uint32_t>(value);
    const void* key = pid ? static_cast<const void*>(&tgid) : static_cast<const void*>(&value);
    if (bpf_map__delete_elem(map, key, key_size, 0) != 0 && errno != ENOENT) fail_bpf_step(std::string("delete from map ") + name, errno);
  }
}

void SocketTraceProgram::disable_connection(uint32_t tgid, int32_t fd, uint32_t generation) {
  uint64_t key = (static_cast<uint64_t>(tgid) << 32) | static_cast<uint32_t>(fd);
  bpf_map* map = find_bpf_map(object_, "disabled_conns");
  if (bpf_map__update_elem(map, &key, sizeof(key), &generation, sizeof(generation), BPF_ANY) != 0) {
    fail_bpf_step("update map disabled_conns", errno);
  }
}

DropCounters SocketTraceProgram::read_drop_counters() const {
  int cpus = libbpf_num_possible_cpus();
  if (cpus <= 0) fail_bpf_step("count possible CPUs", -cpus);
  bpf_map* map = find_bpf_map(object_, "drop_counters");
  uint64_t totals[DROP_COUNTER_MAX] = {};
  std::vector<uint64_t> per_cpu(static_cast<size_t>(cpus));
  for (uint32_t key = 0; key < DROP_COUNTER_MAX; key++) {
    if (bpf_map__lookup_elem(map, &key, sizeof(key), per_cpu.data(), per_cpu.size() * sizeof(uint64_t), 0) != 0) {
      fail_bpf_step("read map drop_counters", errno);
    }
    for (uint64_t value : per_cpu) totals[key] += value;
  }
  return DropCounters{totals[DROP_RINGBUF_FULL], totals[DROP_CONN_MAP_FULL],    totals[DROP_READ_FAILED],
                      totals[DROP_SAMPLED_OUT],  totals[DROP_DISABLED_PAYLOAD], totals[DROP_MMSG_TRUNCATED]};
}

SocketTraceProgram::ProcessState SocketTraceProgram::process_state(uint32_t tgid) const {
  auto count_keys_of = [&](const char* name) {
    bpf_map* map = find_bpf_map(object_, name);
    uint32_t count = 0;
    uint64_t key = 0, next = 0;
    const void* previous = nullptr;
    while (bpf_map__get_next_key(map, previous, &next, sizeof(next)) == 0) {
      if (static_cast<uint32_t>(next >> 32) == tgid) count++;
      key = next;
      previous = &key;
    }
    return count;
  };
  uint8_t present = 0;
  bool traced =
      bpf_map__lookup_elem(find_bpf_map(object_, "traced_tgids"), &tgid, sizeof(tgid), &present, sizeof(present), 0) == 0;
  return ProcessState{count_keys_of("conn_map"), count_keys_of("disabled_conns"), traced};
}

int SocketTraceProgram::events_map_fd() const { return bpf_map__fd(find_bpf_map(object_, "events")); }

}  // namespace periscope
