#include "uprobe_attach.h"

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "bpf_object_util.h"
#include "libbpf_log.h"

namespace periscope {
namespace {

struct ProbeSpec {
  const char* program;
  const char* symbol;
  bool retprobe;
};

// SSL_do_handshake only marks the process as a TLS user (see tls_probes.h).
constexpr ProbeSpec kProbes[] = {
    {"tls_write_enter", "SSL_write", false},       {"tls_call_exit", "SSL_write", true},
    {"tls_write_ex_enter", "SSL_write_ex", false}, {"tls_call_exit", "SSL_write_ex", true},
    {"tls_read_enter", "SSL_read", false},         {"tls_call_exit", "SSL_read", true},
    {"tls_read_ex_enter", "SSL_read_ex", false},   {"tls_call_exit", "SSL_read_ex", true},
    {"tls_handshake_enter", "SSL_do_handshake", false},
};

}  // namespace

bool is_tls_uprobe(bpf_program* program) {
  const char* section = bpf_program__section_name(program);
  return strncmp(section, "uprobe", 6) == 0 || strncmp(section, "uretprobe", 9) == 0;
}

TlsDropCounters read_tls_drops(bpf_object* object) {
  int cpus = libbpf_num_possible_cpus();
  if (cpus <= 0) fail_bpf_step("count possible CPUs", -cpus);
  bpf_map* map = find_bpf_map(object, "tls_drops");
  uint64_t totals[2] = {};
  std::vector<uint64_t> per_cpu(static_cast<size_t>(cpus));
  for (uint32_t key = 0; key < 2; key++) {
    if (bpf_map__lookup_elem(map, &key, sizeof(key), per_cpu.data(), per_cpu.size() * sizeof(uint64_t), 0) != 0) {
      fail_bpf_step("read map tls_drops", errno);
    }
    for (uint64_t value : per_cpu) totals[key] += value;
  }
  return TlsDropCounters{totals[0], totals[1]};
}

TlsUprobes::~TlsUprobes() {
  for (bpf_link* link : links_) bpf_link__destroy(link);
}

int TlsUprobes::attach(const std::string& path) {
  std::vector<bpf_link*> attached;
  for (const ProbeSpec& spec : kProbes) {
    bpf_program* program = bpf_object__find_program_by_name(object_, spec.program);
    if (program == nullptr) {
      for (bpf_link* link : attached) bpf_link__destroy(link);
      throw std::runtime_error(std::string("find program ") + spec.program + ": not in the BPF object");
    }
    if (!bpf_program__autoload(program)) {  // switched off before load (kernel_features.h)
      for (bpf_link* link : attached) bpf_link__destroy(link);
      throw std::runtime_error(std::string("attach ") + path + ": TLS program " + spec.program +
                               " is switched off on this kernel");
    }
    LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = spec.retprobe, .func_name = spec.symbol);
    clear_libbpf_log();
    // pid -1: every process that maps this file.
    bpf_link* link = bpf_program__attach_uprobe_opts(program, -1, path.c_str(), 0, &opts);
    if (link == nullptr) {
      int err = errno;
      for (bpf_link* done : attached) bpf_link__destroy(done);
      fail_bpf_step(std::string("attach ") + (spec.retprobe ? "uretprobe " : "uprobe ") + path + ":" + spec.symbol,
                    err);
    }
    attached.push_back(link);
  }
  links_.insert(links_.end(), attached.begin(), attached.end());
  return static_cast<int>(attached.size());
}

}  // namespace periscope
