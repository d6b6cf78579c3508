// What this kernel can run of a BPF object, decided before it is loaded, so a
// kernel between the floor (5.8: ring buffers) and the newest switches off
// single programs instead of failing the whole load (bpf/lib/kernel_compat.h
// lists the programs above the floor). Knows nothing about Node.
#pragma once

#include <string>
#include <vector>

struct bpf_object;
struct bpf_program;
struct bpf_link;
struct bpf_object_open_opts;

namespace periscope {

// Where the kernel's BTF and tracefs are; empty strings mean the defaults
// (libbpf's BTF search, /sys/kernel/tracing then /sys/kernel/debug/tracing).
struct KernelPaths {
  std::string btf_path;
  std::string tracefs_path;
};

// A program left unloaded because the kernel lacks what it needs.
struct SwitchedOffProgram {
  std::string program;       // the C function name, e.g. "on_process_exit"
  std::string attach_point;  // its section, e.g. "tracepoint/sched/sched_process_exit"
  std::string reason;        // e.g. "helper bpf_for_each_map_elem missing (Linux 5.13)"
};

// Opens a BPF object with the BTF path (CO-RE relocations against it) applied.
bpf_object* open_bpf_object(const std::string& object_path, const KernelPaths& paths);

// Marks as not-to-load every program whose tracepoint is absent from tracefs
// or that calls a helper this kernel's probe refuses. Call between open and load.
std::vector<SwitchedOffProgram> switch_off_unsupported(bpf_object* object, const KernelPaths& paths);

// Attaches a loaded program. "tracepoint/<category>/<name>" sections attach
// through tracefs at `paths` (libbpf 1.1 only knows the two fixed mount points);
// everything else through bpf_program__attach. Null with errno set on failure.
bpf_link* attach_program(bpf_program* program, const KernelPaths& paths);

// The tracefs directory in use: the configured one, else the first default that has events/.
std::string tracefs_dir(const KernelPaths& paths);

// libbpf's probes, for the agent's preflight: 1 supported, 0 not, < 0 -errno (could not tell).
int probe_ring_buffer();
int probe_tracepoint_helper(int helper_id);

}  // namespace periscope
