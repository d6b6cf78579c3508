// The Node boundary: wraps SocketTraceProgram and RingPoller in one JS class
// and turns native errors into JS errors. Options are validated in TypeScript
// (native.ts callers) before they get here; this layer only checks types.
#include <linux/bpf.h>
#include <napi.h>

#include <memory>
#include <stdexcept>

#include "../../../../bpf/common/socket_trace.h"
#include "kernel_features.h"
#include "kernel_features_js.h"
#include "profile_addon.h"
#include "ring_poller.h"
#include "socket_trace_program.h"
#include "tcp_health_addon.h"
#include "tracefs.h"
#include "uprobe_attach.h"

namespace periscope {
namespace {

// Batches waiting for the JS thread. When full, the poller stops draining
// and the kernel ring buffer absorbs (and counts) the overflow.
constexpr size_t kMaxQueuedBatches = 8;

void deliver_batch(Napi::Env env, Napi::Function on_batch, Batch* batch) {
  if (env == nullptr) {  // the function is being torn down with this batch still queued
    delete batch;
    return;
  }
  auto buffer = Napi::Buffer<uint8_t>::New(env, batch->data(), batch->size(),
                                           [](Napi::Env, uint8_t*, Batch* owned) { delete owned; }, batch);
  try {
    on_batch.Call({buffer});
  } catch (const Napi::Error& error) {
    error.ThrowAsJavaScriptException();
  }
}

class NativeTracer : public Napi::ObjectWrap<NativeTracer> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeTracer",
                       {InstanceMethod<&NativeTracer::SetCaptureBytes>("setCaptureBytes"),
                        InstanceMethod<&NativeTracer::SetControls>("setControls"),
                        InstanceMethod<&NativeTracer::ReplaceFilter>("replaceFilter"),
                        InstanceMethod<&NativeTracer::DisableConnection>("disableConnection"),
                        InstanceMethod<&NativeTracer::ProcessState>("processState"),
                        InstanceMethod<&NativeTracer::ReadDropCounters>("readDropCounters"),
                        InstanceMethod<&NativeTracer::Ref>("ref"), InstanceMethod<&NativeTracer::Unref>("unref"),
                        InstanceMethod<&NativeTracer::AttachTls>("attachTls"),
                        InstanceMethod<&NativeTracer::ReadTlsDropCounters>("readTlsDropCounters"),
                        InstanceMethod<&NativeTracer::SwitchedOff>("switchedOff"),
                        InstanceMethod<&NativeTracer::Close>("close")});
  }

  explicit NativeTracer(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeTracer>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
      throw Napi::TypeError::New(env, "NativeTracer(options, onBatch): expected an object and a function");
    }
    Napi::Object options = info[0].As<Napi::Object>();
    SocketTraceConfig config{options.Get("bpfObjectPath").As<Napi::String>().Utf8Value(),
                             options.Get("excludeTgid").As<Napi::Number>().Uint32Value(),
                             options.Get("captureBytes").As<Napi::Number>().Uint32Value(),
                             kernel_paths_option(options)};
    try {
      program_ = std::make_unique<SocketTraceProgram>(config);
      on_batch_ = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "periscope-ring-poller",
                                                kMaxQueuedBatches, 1);
      poller_ = std::make_unique<RingPoller>(program_->events_map_fd(),
                                             [this](std::unique_ptr<Batch>& batch) { return Offer(batch); });
    } catch (const std::exception& error) {
      Shutdown();
      throw Napi::Error::New(env, error.what());
    }
    napi_add_env_cleanup_hook(env, &NativeTracer::OnEnvCleanup, this);
    cleanup_hook_env_ = env;
  }

  ~NativeTracer() override { Shutdown(); }

 private:
  // Runs on the poller thread. Non-blocking with the poller retrying (see
  // RingPoller::flush) rather than BlockingCall: a poller blocked on a full
  // queue could never be joined by close(), which runs on the very JS thread
  // that would have to drain the queue. The backpressure is the same: no
  // draining while the queue is full, so the kernel ring buffer fills and counts.
  Delivery Offer(std::unique_ptr<Batch>& batch) {
    napi_status status = on_batch_.NonBlockingCall(batch.get(), deliver_batch);
    if (status == napi_ok) {
      batch.release();  // now owned by the queued call
      return Delivery::Accepted;
    }
    return status == napi_queue_full ? Delivery::QueueFull : Delivery::Closed;
  }

  // Exiting with the poller still running would touch a dead environment.
  static void OnEnvCleanup(void* self) { static_cast<NativeTracer*>(self)->Shutdown(); }

  // Poller first (it is the only user of the thread-safe function), then the
  // function, then the BPF links and maps. Idempotent.
  void Shutdown() {
    if (poller_) poller_->stop();
    poller_.reset();
    if (on_batch_) on_batch_.Release();
    on_batch_ = Napi::ThreadSafeFunction();
    tls_.reset();  // its links before the object they belong to
    program_.reset();
    if (cleanup_hook_env_ != nullptr) napi_remove_env_cleanup_hook(cleanup_hook_env_, &NativeTracer::OnEnvCleanup, this);
    cleanup_hook_env_ = nullptr;
  }

  SocketTraceProgram& RequireOpen(Napi::Env env) {
    if (!program_) throw Napi::Error::New(env, "socket tracer is closed");
    return *program_;
  }

  void SetCaptureBytes(const Napi::CallbackInfo& info) {
    SocketTraceProgram& program = RequireOpen(info.Env());
    try {
      program.set_capture_bytes(info[0].As<Napi::Number>().Uint32Value());
    } catch (const std::exception& error) {
      throw Napi::Error::New(info.Env(), error.what());
    }
  }

  // {captureBytes: number[PERISCOPE_SYSCALL_SLOTS], disabledProtocols, filterFlags, sampleEvery}
  void SetControls(const Napi::CallbackInfo& info) {
    SocketTraceProgram& program = RequireOpen(info.Env());
    Napi::Object options = info[0].As<Napi::Object>();
    Napi::Array caps = options.Get("captureBytes").As<Napi::Array>();
    CaptureControls controls{{},
                             options.Get("disabledProtocols").As<Napi::Number>().Uint32Value(),
                             options.Get("filterFlags").As<Napi::Number>().Uint32Value(),
                             options.Get("sampleEvery").As<Napi::Number>().Uint32Value()};
    for (uint32_t i = 0; i < caps.Length(); i++) controls.capture_bytes.push_back(caps.Get(i).As<Napi::Number>().Uint32Value());
    try {
      program.set_controls(controls);
    } catch (const std::exception& error) {
      throw Napi::Error::New(info.Env(), error.what());
    }
  }

  // ("pid" | "cgroup", [[key: bigint, marks: number], ...])
  void ReplaceFilter(const Napi::CallbackInfo& info) {
    SocketTraceProgram& program = RequireOpen(info.Env());
    std::string which = info[0].As<Napi::String>().Utf8Value();
    Napi::Array rows = info[1].As<Napi::Array>();
    std::vector<FilterEntry> entries;
    for (uint32_t i = 0; i < rows.Length(); i++) {
      Napi::Array row = rows.Get(i).As<Napi::Array>();
      bool lossless = false;
      uint64_t key = row.Get(0u).As<Napi::BigInt>().Uint64Value(&lossless);
      entries.push_back(FilterEntry{key, row.Get(1u).As<Napi::Number>().Uint32Value()});
    }
    try {
      program.replace_filter(which, entries);
    } catch (const std::exception& error) {
      throw Napi::Error::New(info.Env(), error.what());
    }
  }

  void DisableConnection(const Napi::CallbackInfo& info) {
    SocketTraceProgram& program = RequireOpen(info.Env());
    try {
      program.disable_connection(info[0].As<Napi::Number>().Uint32Value(), info[1].As<Napi::Number>().Int32Value(),
                                 info[2].As<Napi::Number>().Uint32Value());
    } catch (const std::exception& error) {
      throw Napi::Error::New(info.Env(), error.what());
    }
  }

  Napi::Value ProcessState(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    SocketTraceProgram::ProcessState state{};
    try {
      state = RequireOpen(env).process_state(info[0].As<Napi::Number>().Uint32Value());
    } catch (const std::exception& error) {
      throw Napi::Error::New(env, error.what());
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("connections", Napi::Number::New(env, state.connections));
    result.Set("disabled", Napi::Number::New(env, state.disabled));
    result.Set("traced", Napi::Boolean::New(env, state.traced));
    return result;
  }

  Napi::Value ReadDropCounters(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    DropCounters counters;
    try {
      counters = RequireOpen(env).read_drop_counters();
    } catch (const std::exception& error) {
      throw Napi::Error::New(env, error.what());
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("ringbufFull", Napi::BigInt::New(env, counters.ringbuf_full));
    result.Set("connMapFull", Napi::BigInt::New(env, counters.conn_map_full));
    result.Set("readFailed", Napi::BigInt::New(env, counters.read_failed));
    result.Set("sampledOut", Napi::BigInt::New(env, counters.sampled_out));
    result.Set("disabledPayload", Napi::BigInt::New(env, counters.disabled_payload));
    result.Set("mmsgTruncated", Napi::BigInt::New(env, counters.mmsg_truncated));
    return result;
  }

  void Ref(const Napi::CallbackInfo& info) {
    if (on_batch_) on_batch_.Ref(info.Env());
  }

  void Unref(const Napi::CallbackInfo& info) {
    if (on_batch_) on_batch_.Unref(info.Env());
  }

  void Close(const Napi::CallbackInfo&) { Shutdown(); }

  Napi::Value SwitchedOff(const Napi::CallbackInfo& info) {
    return switched_off_to_js(info.Env(), RequireOpen(info.Env()).switched_off());
  }

  Napi::Value ReadTlsDropCounters(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    TlsDropCounters counters;
    try {
      counters = read_tls_drops(RequireOpen(env).object());
    } catch (const std::exception& error) {
      throw Napi::Error::New(env, error.what());
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("callsFull", Napi::BigInt::New(env, counters.calls_full));
    result.Set("noSocket", Napi::BigInt::New(env, counters.no_socket));
    return result;
  }

  // attachTls(path): the TLS uprobes on one binary or library; returns the probe count.
  Napi::Value AttachTls(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    SocketTraceProgram& program = RequireOpen(env);
    if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(env, "attachTls(path: string)");
    try {
      if (!tls_) tls_ = std::make_unique<TlsUprobes>(program.object());
      return Napi::Number::New(env, tls_->attach(info[0].As<Napi::String>().Utf8Value()));
    } catch (const std::exception& error) {
      throw Napi::Error::New(env, error.what());
    }
  }

  std::unique_ptr<SocketTraceProgram> program_;
  std::unique_ptr<TlsUprobes> tls_;
  Napi::ThreadSafeFunction on_batch_;
  std::unique_ptr<RingPoller> poller_;
  napi_env cleanup_hook_env_ = nullptr;
};

// ensureTracefs(path?: string)
Napi::Value EnsureTracefs(const Napi::CallbackInfo& info) {
  std::string configured = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  return Napi::String::New(info.Env(), ensure_tracefs_mounted(configured));
}

// probeKernel(): libbpf's probes for what the preflight cannot read from files.
Napi::Value ProbeKernel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  result.Set("ringBuffer", Napi::Number::New(env, probe_ring_buffer()));
  result.Set("forEachMapElem", Napi::Number::New(env, probe_tracepoint_helper(BPF_FUNC_for_each_map_elem)));
  return result;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeTracer", NativeTracer::Define(env));
  exports.Set("NativeTcpHealth", DefineNativeTcpHealth(env));
  exports.Set("NativeProfiler", DefineNativeProfiler(env));
  exports.Set("ensureTracefs", Napi::Function::New(env, EnsureTracefs));
  exports.Set("probeKernel", Napi::Function::New(env, ProbeKernel));
  exports.Set("maxCaptureBytes", Napi::Number::New(env, PERISCOPE_MAX_CAPTURE));
  exports.Set("defaultCaptureBytes", Napi::Number::New(env, PERISCOPE_DEFAULT_CAPTURE));
  return exports;
}

}  // namespace
}  // namespace periscope

// NODE_API_MODULE pastes the function name into an identifier: it must be unqualified.
static Napi::Object InitPeriscopeNative(Napi::Env env, Napi::Object exports) { return periscope::Init(env, exports); }

NODE_API_MODULE(periscope_native, InitPeriscopeNative)
