#include "tcp_health_program.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <stdexcept>

#include "bpf_object_util.h"
#include "libbpf_log.h"

namespace periscope {
namespace {

// Entries per BPF_MAP_LOOKUP_BATCH call. A hash batch stops at a bucket
// boundary; ENOSPC means one bucket held more than this many, so it grows.
constexpr uint32_t kBatchEntries = 1024;

}  // namespace

TcpHealthProgram::TcpHealthProgram(const TcpHealthConfig& config) {
  install_libbpf_log_capture();
  clear_libbpf_log();
  if (config.max_connections == 0) throw std::runtime_error("tcp health: max connections must be above 0");
  object_ = open_bpf_object(config.object_path, config.paths);
  if (object_ == nullptr) fail_bpf_step("open BPF object " + config.object_path, errno);
  try {
    set_rodata_u32(object_, "self_tgid", config.exclude_tgid);
    if (bpf_map__set_max_entries(find_bpf_map(object_, "tcp_stats"), config.max_connections) != 0) {
      fail_bpf_step("size map tcp_stats", errno);
    }
    switched_off_ = switch_off_unsupported(object_, config.paths);
    if (bpf_object__load(object_) != 0) fail_bpf_step("load BPF object " + config.object_path, errno);
    stats_fd_ = bpf_map__fd(find_bpf_map(object_, "tcp_stats"));
    drops_fd_ = bpf_map__fd(find_bpf_map(object_, "tcp_health_drops"));
    closed_fd_ = bpf_map__fd(find_bpf_map(object_, "tcp_closed"));
    bpf_program* program = nullptr;
    bpf_object__for_each_program(program, object_) {
      if (!bpf_program__autoload(program)) continue;
      clear_libbpf_log();
      bpf_link* link = attach_program(program, config.paths);
      if (link == nullptr) fail_bpf_step(std::string("attach ") + bpf_program__section_name(program), errno);
      links_.push_back(link);
    }
  } catch (...) {
    destroy();
    throw;
  }
}

TcpHealthProgram::~TcpHealthProgram() { destroy(); }

void TcpHealthProgram::destroy() {
  for (bpf_link* link : links_) bpf_link__destroy(link);
  links_.clear();
  if (object_ != nullptr) bpf_object__close(object_);
  object_ = nullptr;
}

namespace {

// Appends every entry of a hash map, kBatchEntries per syscall; with `take`
// the entries are deleted as they are read.
void read_hash_batches(int fd, bool take, const char* map_name, std::vector<tcp_conn_stats>& out) {
  uint32_t chunk = kBatchEntries;
  std::vector<uint64_t> keys;
  std::vector<tcp_conn_stats> values;
  uint64_t token = 0;  // opaque bucket cursor; sized like the key
  bool first = true;
  LIBBPF_OPTS(bpf_map_batch_opts, opts);
  for (;;) {
    keys.resize(chunk);
    values.resize(chunk);
    uint32_t count = chunk;
    int rc = take ? bpf_map_lookup_and_delete_batch(fd, first ? nullptr : &token, &token, keys.data(), values.data(),
                                                    &count, &opts)
                  : bpf_map_lookup_batch(fd, first ? nullptr : &token, &token, keys.data(), values.data(), &count,
                                         &opts);
    int err = rc == 0 ? 0 : errno;
    if (rc != 0 && err == ENOSPC && count == 0) {
      chunk *= 2;  // a bucket larger than the chunk: retry the same cursor
      continue;
    }
    if (rc != 0 && err != ENOENT) fail_bpf_step(std::string("read map ") + map_name + " (batch)", err);
    out.insert(out.end(), values.begin(), values.begin() + count);
    if (rc != 0) break;  // ENOENT: the whole map was walked
    first = false;
  }
}

}  // namespace

std::vector<tcp_conn_stats> TcpHealthProgram::read_live() const {
  std::vector<tcp_conn_stats> out;
  read_hash_batches(stats_fd_, false, "tcp_stats", out);
  return out;
}

std::vector<tcp_conn_stats> TcpHealthProgram::take_displaced() {
  std::vector<tcp_conn_stats> out;
  read_hash_batches(closed_fd_, true, "tcp_closed", out);
  return out;
}

void TcpHealthProgram::remove(const std::vector<uint64_t>& sock_ids) {
  if (sock_ids.empty()) return;
  uint32_t count = static_cast<uint32_t>(sock_ids.size());
  LIBBPF_OPTS(bpf_map_batch_opts, opts);
  // ENOENT: an id already gone (e.g. the socket address was reused and the
  // entry replaced) — the rest were deleted up to it, so retry one by one.
  if (bpf_map_delete_batch(stats_fd_, sock_ids.data(), &count, &opts) == 0) return;
  if (errno != ENOENT) fail_bpf_step("delete from map tcp_stats (batch)", errno);
  for (size_t i = count; i < sock_ids.size(); i++) bpf_map_delete_elem(stats_fd_, &sock_ids[i]);
}

std::vector<uint64_t> TcpHealthProgram::read_drop_counters() const {
  int cpus = libbpf_num_possible_cpus();
  if (cpus <= 0) fail_bpf_step("count possible CPUs", -cpus);
  std::vector<uint64_t> totals(TCP_DROP_MAX, 0);
  std::vector<uint64_t> per_cpu(static_cast<size_t>(cpus));
  for (uint32_t key = 0; key < TCP_DROP_MAX; key++) {
    if (bpf_map_lookup_elem(drops_fd_, &key, per_cpu.data()) != 0) fail_bpf_step("read map tcp_health_drops", errno);
    for (uint64_t value : per_cpu) totals[key] += value;
  }
  return totals;
}

}  // namespace periscope
