#include "libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <mutex>

namespace periscope {
namespace {

// The verifier's conclusion is at the end of its log; older lines are noise.
constexpr size_t kMaxLogBytes = 8192;

std::mutex log_mutex;
std::string log_buffer;

int capture_print(enum libbpf_print_level level, const char* format, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  char line[1024];
  int n = vsnprintf(line, sizeof(line), format, args);
  if (n <= 0) return n;
  std::lock_guard<std::mutex> lock(log_mutex);
  log_buffer.append(line, std::min<size_t>(static_cast<size_t>(n), sizeof(line) - 1));
  if (log_buffer.size() > kMaxLogBytes) log_buffer.erase(0, log_buffer.size() - kMaxLogBytes);
  return n;
}

}  // namespace

void install_libbpf_log_capture() { libbpf_set_print(capture_print); }

void clear_libbpf_log() {
  std::lock_guard<std::mutex> lock(log_mutex);
  log_buffer.clear();
}

std::string libbpf_log_tail() {
  std::lock_guard<std::mutex> lock(log_mutex);
  return log_buffer;
}

}  // namespace periscope
