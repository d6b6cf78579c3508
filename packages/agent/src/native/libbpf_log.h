// Keeps the tail of libbpf's diagnostics (verifier log, relocation errors)
// so a failed load can say why instead of only "Invalid argument".
#pragma once

#include <string>

namespace periscope {

// Routes libbpf's print callback into the capture buffer. Idempotent.
void install_libbpf_log_capture();

// Empties the buffer; call before a step whose diagnostics you want.
void clear_libbpf_log();

// The last few KiB libbpf printed since clear_libbpf_log().
std::string libbpf_log_tail();

}  // namespace periscope
