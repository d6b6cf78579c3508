// Small libbpf steps shared by the programs this addon loads without a
// generated skeleton. Errors are std::runtime_error naming the step and the
// kernel's reason.
#pragma once

#include <cstdint>
#include <string>

struct bpf_object;
struct bpf_map;

namespace periscope {

// Throws "<step>: <libbpf_strerror(err)>" plus libbpf's log tail.
[[noreturn]] void fail_bpf_step(const std::string& step, int err);

bpf_map* find_bpf_map(bpf_object* object, const char* name);

// Sets a `const volatile u32` global in .rodata before load; its offset
// comes from the object's BTF.
void set_rodata_u32(bpf_object* object, const char* variable, uint32_t value);

}  // namespace periscope
