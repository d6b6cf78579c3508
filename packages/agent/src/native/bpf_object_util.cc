#include "bpf_object_util.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "libbpf_log.h"

namespace periscope {

// libbpf reports its own codes (LIBBPF_ERRNO__*, from 4000) besides errno
// values; libbpf_strerror() names both where strerror() says "Unknown error".
void fail_bpf_step(const std::string& step, int err) {
  char reason[128];
  if (libbpf_strerror(err, reason, sizeof(reason)) != 0) snprintf(reason, sizeof(reason), "%s", strerror(err));
  std::string message = step + ": " + reason;
  std::string log = libbpf_log_tail();
  if (!log.empty()) message += "\nlibbpf said:\n" + log;
  throw std::runtime_error(message);
}

bpf_map* find_bpf_map(bpf_object* object, const char* name) {
  bpf_map* map = bpf_object__find_map_by_name(object, name);
  if (map == nullptr) throw std::runtime_error(std::string("find map ") + name + ": not in the BPF object");
  return map;
}

void set_rodata_u32(bpf_object* object, const char* variable, uint32_t value) {
  std::string step = std::string("set ") + variable;
  bpf_map* rodata = find_bpf_map(object, ".rodata");
  size_t size = 0;
  const auto* initial = static_cast<const uint8_t*>(bpf_map__initial_value(rodata, &size));
  const btf* object_btf = bpf_object__btf(object);
  if (initial == nullptr || object_btf == nullptr) throw std::runtime_error(step + ": .rodata has no BTF");
  std::vector<uint8_t> data(initial, initial + size);

  int section_id = btf__find_by_name_kind(object_btf, ".rodata", BTF_KIND_DATASEC);
  if (section_id < 0) throw std::runtime_error(step + ": no .rodata section in BTF");
  const btf_type* section = btf__type_by_id(object_btf, section_id);
  const btf_var_secinfo* var = btf_var_secinfos(section);
  for (int i = 0; i < btf_vlen(section); i++, var++) {
    const char* name = btf__name_by_offset(object_btf, btf__type_by_id(object_btf, var->type)->name_off);
    if (strcmp(name, variable) != 0) continue;
    if (var->size != sizeof(value) || var->offset + sizeof(value) > size) {
      throw std::runtime_error(step + ": unexpected size in .rodata");
    }
    memcpy(data.data() + var->offset, &value, sizeof(value));
    if (bpf_map__set_initial_value(rodata, data.data(), data.size()) != 0) fail_bpf_step(step, errno);
    return;
  }
  throw std::runtime_error(step + ": variable not found in .rodata");
}

}  // namespace periscope
