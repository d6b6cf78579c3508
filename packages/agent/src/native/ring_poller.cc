#include "ring_poller.h"

#include <bpf/libbpf.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace periscope {
namespace {

// Records wait at most this long for the timed drain: the kernel side only
// forces a wakeup when the ring buffer is filling up.
constexpr int kDrainIntervalMs = 20;
// Batches handed to JS stay around this size so one callback stays short.
constexpr size_t kMaxBatchBytes = 1 << 20;
// Pause before offering a batch again to a full queue.
constexpr int kQueueFullRetryMs = 5;

constexpr uint64_t kRingTag = 1;
constexpr uint64_t kStopTag = 2;

[[noreturn]] void fail(const std::string& step, int err) {
  throw std::runtime_error(step + ": " + strerror(err));
}

void add_to_epoll(int epoll_fd, int fd, uint64_t tag, const char* what) {
  epoll_event event = {};
  event.events = EPOLLIN;
  event.data.u64 = tag;
  if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) fail(std::string("epoll add ") + what, errno);
}

}  // namespace

RingPoller::RingPoller(int ringbuf_map_fd, BatchSink sink) : sink_(std::move(sink)), batch_(new Batch()) {
  ring_ = ring_buffer__new(ringbuf_map_fd, &RingPoller::on_record, this, nullptr);
  if (ring_ == nullptr) fail("create ring buffer consumer", errno);
  try {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) fail("epoll_create1", errno);
    stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (stop_fd_ < 0) fail("eventfd", errno);
    add_to_epoll(epoll_fd_, ring_buffer__epoll_fd(ring_), kRingTag, "ring buffer");
    add_to_epoll(epoll_fd_, stop_fd_, kStopTag, "stop eventfd");
    thread_ = std::thread(&RingPoller::run, this);
  } catch (...) {
    if (stop_fd_ >= 0) close(stop_fd_);
    if (epoll_fd_ >= 0) close(epoll_fd_);
    ring_buffer__free(ring_);
    throw;
  }
}

RingPoller::~RingPoller() {
  stop();
  ring_buffer__free(ring_);
  close(stop_fd_);
  close(epoll_fd_);
}

void RingPoller::stop() {
  if (!stopping_.exchange(true)) {
    uint64_t one = 1;
    // The eventfd counter cannot overflow from one write; a failed write
    // would only delay the stop until the next drain interval.
    (void)!write(stop_fd_, &one, sizeof(one));
  }
  if (thread_.joinable()) thread_.join();
}

int RingPoller::on_record(void* self, void* data, size_t size) {
  auto* poller = static_cast<RingPoller*>(self);
  if (poller->batch_->size() + sizeof(uint32_t) + size > kMaxBatchBytes) poller->flush();
  Batch& batch = *poller->batch_;
  uint32_t length = static_cast<uint32_t>(size);
  uint8_t prefix[sizeof(length)] = {static_cast<uint8_t>(length), static_cast<uint8_t>(length >> 8),
                                    static_cast<uint8_t>(length >> 16), static_cast<uint8_t>(length >> 24)};
  batch.insert(batch.end(), prefix, prefix + sizeof(prefix));
  const auto* bytes = static_cast<const uint8_t*>(data);
  batch.insert(batch.end(), bytes, bytes + size);
  // A non-zero return stops ring_buffer__consume; keep going until stopped.
  return poller->stopping_.load() ? -1 : 0;
}

void RingPoller::flush() {
  while (!batch_->empty() && !stopping_.load()) {
    Delivery delivery = sink_(batch_);
    if (delivery == Delivery::Accepted) {
      batch_.reset(new Batch());
      return;
    }
    if (delivery == Delivery::Closed) {
      batch_->clear();
      return;
    }
    wait_for_stop(kQueueFullRetryMs);
  }
}

void RingPoller::wait_for_stop(int timeout_ms) {
  pollfd stop = {stop_fd_, POLLIN, 0};
  poll(&stop, 1, timeout_ms);
}

void RingPoller::run() {
  epoll_event events[2];
  while (!stopping_.load()) {
    int ready = epoll_wait(epoll_fd_, events, 2, kDrainIntervalMs);
    if (ready < 0 && errno != EINTR) break;
    ring_buffer__consume(ring_);
    flush();
  }
}

}  // namespace periscope
