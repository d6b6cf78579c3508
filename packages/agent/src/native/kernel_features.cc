#include "kernel_features.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>

namespace periscope {
namespace {

constexpr const char* kTracefs = "/sys/kernel/tracing";
constexpr const char* kDebugfsTracing = "/sys/kernel/debug/tracing";

// BPF_JMP | BPF_CALL with src_reg 0 is a helper call, imm its id; src_reg 1
// (BPF_PSEUDO_CALL) calls a subprogram, 2 (BPF_PSEUDO_KFUNC_CALL) a kfunc.
constexpr uint8_t kCallOpcode = BPF_JMP | BPF_CALL;

// Helper names in uapi order (linux/bpf.h's own list), for messages.
#define PERISCOPE_HELPER_NAME(name) "bpf_" #name
const char* const kHelperNames[] = {__BPF_FUNC_MAPPER(PERISCOPE_HELPER_NAME)};
#undef PERISCOPE_HELPER_NAME

// The first kernel with each helper above the floor that a program here calls.
const std::map<int, const char*> kHelperSince = {
    {BPF_FUNC_for_each_map_elem, "5.13"},
};

std::string helper_label(int id) {
  std::string name = id >= 0 && static_cast<size_t>(id) < sizeof(kHelperNames) / sizeof(kHelperNames[0])
                         ? kHelperNames[id]
                         : "#" + std::to_string(id);
  auto since = kHelperSince.find(id);
  return "helper " + name + " missing" + (since == kHelperSince.end() ? "" : std::string(" (Linux ") + since->second + ")");
}

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// Probes are one tiny program load each; a result per (type, helper) is enough.
int probe_helper_cached(bpf_prog_type type, int helper) {
  static std::map<std::pair<int, int>, int> cache;
  auto key = std::make_pair(static_cast<int>(type), helper);
  auto found = cache.find(key);
  if (found != cache.end()) return found->second;
  int result = libbpf_probe_bpf_helper(type, static_cast<bpf_func_id>(helper), nullptr);
  cache[key] = result;
  return result;
}

// "tracepoint/sched/sched_process_exit" -> {"sched", "sched_process_exit"};
// "raw_tp/tcp_probe" -> {"", "tcp_probe"} (raw tracepoints name no category).
bool tracepoint_of(const std::string& section, std::string& category, std::string& name) {
  auto take = [&](const std::string& prefix) { return section.rfind(prefix, 0) == 0 ? section.substr(prefix.size()) : std::string(); };
  std::string rest = take("tracepoint/");
  if (rest.empty()) rest = take("tp/");
  if (!rest.empty()) {
    size_t slash = rest.find('/');
    if (slash == std::string::npos) return false;
    category = rest.substr(0, slash);
    name = rest.substr(slash + 1);
    return true;
  }
  rest = take("raw_tp/");
  if (rest.empty()) rest = take("raw_tracepoint/");
  if (rest.empty()) return false;
  category.clear();
  name = rest;
  return true;
}

// Whether events/<category>/<name> exists; with no category, in any category.
bool tracepoint_exists(const std::string& tracefs, const std::string& category, const std::string& name) {
  std::string events = tracefs + "/events/";
  if (!category.empty()) return exists(events + category + "/" + name);
  DIR* dir = opendir(events.c_str());
  if (dir == nullptr) return true;  // cannot tell: let the attach say
  bool found = false;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.' && exists(events + entry->d_name + "/" + name)) {
      found = true;
      break;
    }
  }
  closedir(dir);
  return found;
}

}  // namespace

std::string tracefs_dir(const KernelPaths& paths) {
  if (!paths.tracefs_path.empty()) return paths.tracefs_path;
  if (exists(std::string(kTracefs) + "/events")) return kTracefs;
  if (exists(std::string(kDebugfsTracing) + "/events")) return kDebugfsTracing;
  return kTracefs;
}

bpf_object* open_bpf_object(const std::string& object_path, const KernelPaths& paths) {
  LIBBPF_OPTS(bpf_object_open_opts, opts);
  if (!paths.btf_path.empty()) opts.btf_custom_path = paths.btf_path.c_str();
  return bpf_object__open_file(object_path.c_str(), &opts);
}

std::vector<SwitchedOffProgram> switch_off_unsupported(bpf_object* object, const KernelPaths& paths) {
  std::vector<SwitchedOffProgram> off;
  const std::string tracefs = tracefs_dir(paths);
  const bool can_list_events = exists(tracefs + "/events");
  bpf_program* program = nullptr;
  bpf_object__for_each_program(program, object) {
    if (!bpf_program__autoload(program)) continue;
    std::string section = bpf_program__section_name(program);
    std::string reason;
    std::string category, name;
    if (can_list_events && tracepoint_of(section, category, name) && !tracepoint_exists(tracefs, category, name)) {
      reason = "tracepoint " + (category.empty() ? name : category + ":" + name) + " not in " + tracefs + "/events";
    }
    // Helpers called by the program's own instructions (subprograms are
    // appended only at load; the ones above the floor are called directly).
    const bpf_insn* insns = bpf_program__insns(program);
    std::set<int> helpers;
    for (size_t i = 0; reason.empty() && i < bpf_program__insn_cnt(program); i++) {
      if (insns[i].code != kCallOpcode || insns[i].src_reg != 0) continue;
      if (!helpers.insert(insns[i].imm).second) continue;
      // 0: the kernel refused the helper for this program type. < 0: the probe
      // itself failed (no privileges...): leave the program to the load, which names the cause.
      if (probe_helper_cached(bpf_program__type(program), insns[i].imm) == 0) reason = helper_label(insns[i].imm);
    }
    if (reason.empty()) continue;
    bpf_program__set_autoload(program, false);
    off.push_back(SwitchedOffProgram{bpf_program__name(program), section, reason});
  }
  return off;
}

bpf_link* attach_program(bpf_program* program, const KernelPaths& paths) {
  std::string category, name;
  std::string section = bpf_program__section_name(program);
  if (paths.tracefs_path.empty() || section.rfind("raw_", 0) == 0 || !tracepoint_of(section, category, name)) {
    return bpf_program__attach(program);
  }
  // What libbpf's bpf_program__attach_tracepoint does, with our tracefs path.
  std::ifstream id_file(paths.tracefs_path + "/events/" + category + "/" + name + "/id");
  long long id = -1;
  if (!(id_file >> id) || id < 0) {
    errno = ENOENT;
    return nullptr;
  }
  perf_event_attr attr = {};
  attr.type = PERF_TYPE_TRACEPOINT;
  attr.size = sizeof(attr);
  attr.config = static_cast<uint64_t>(id);
  attr.sample_period = 1;
  attr.wakeup_events = 1;
  int fd = static_cast<int>(syscall(__NR_perf_event_open, &attr, -1 /* any pid */, 0 /* cpu */, -1, PERF_FLAG_FD_CLOEXEC));
  if (fd < 0) return nullptr;
  bpf_link* link = bpf_program__attach_perf_event(program, fd);  // owns fd on success
  if (link == nullptr) {
    int err = errno;
    close(fd);
    errno = err;
  }
  return link;
}

int probe_ring_buffer() { return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr); }

int probe_tracepoint_helper(int helper_id) { return probe_helper_cached(BPF_PROG_TYPE_TRACEPOINT, helper_id); }

}  // namespace periscope
