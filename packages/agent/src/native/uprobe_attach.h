// Attaches socket_trace.bpf.o's TLS uprobes (bpf/tls/tls_probes.h) to one
// binary or shared library that exports OpenSSL's SSL_read/SSL_write: every
// process mapping that file, now and later (uprobes live on the inode).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct bpf_object;
struct bpf_program;
struct bpf_link;

namespace periscope {

// True for the programs this file attaches (section "uprobe"/"uretprobe").
bool is_tls_uprobe(bpf_program* program);

// The TLS probes' drop counters (tls_drops, enum tls_drop order) summed over CPUs.
struct TlsDropCounters {
  uint64_t calls_full;
  uint64_t no_socket;
};
TlsDropCounters read_tls_drops(bpf_object* object);

class TlsUprobes {
 public:
  explicit TlsUprobes(bpf_object* object) : object_(object) {}
  ~TlsUprobes();
  TlsUprobes(const TlsUprobes&) = delete;
  TlsUprobes& operator=(const TlsUprobes&) = delete;

  // Attaches every probe to `path`; all or nothing. Returns the number of
  // probes attached. Throws naming the symbol and the kernel's reason (a
  // binary without SSL_write says so).
  int attach(const std::string& path);

 private:
  bpf_object* object_;
  std::vector<bpf_link*> links_;
};

}  // namespace periscope
