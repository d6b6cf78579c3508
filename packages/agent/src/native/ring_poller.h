// The one thread that owns the kernel ring buffer: it drains records into a
// batch and hands whole batches to a sink, never single events.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

struct ring_buffer;

namespace periscope {

// A batch is a sequence of [u32 little-endian length][record bytes] frames.
using Batch = std::vector<uint8_t>;

enum class Delivery { Accepted, QueueFull, Closed };

// Called on the poller thread. On QueueFull the batch is offered again a
// little later, and meanwhile the kernel ring buffer fills up (and counts
// its drops) instead of the agent's memory.
using BatchSink = std::function<Delivery(std::unique_ptr<Batch>&)>;

class RingPoller {
 public:
  RingPoller(int ringbuf_map_fd, BatchSink sink);
  ~RingPoller();
  RingPoller(const RingPoller&) = delete;
  RingPoller& operator=(const RingPoller&) = delete;

  // Signals the thread through its eventfd and joins it. Idempotent.
  void stop();

 private:
  static int on_record(void* self, void* data, size_t size);
  void run();
  // Offers the current batch until accepted, stopped or closed.
  void flush();
  void wait_for_stop(int timeout_ms);

  BatchSink sink_;
  ring_buffer* ring_ = nullptr;
  int epoll_fd_ = -1;
  int stop_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<Batch> batch_;
  std::thread thread_;
};

}  // namespace periscope
