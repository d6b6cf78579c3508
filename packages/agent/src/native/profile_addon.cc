// NativeProfiler: synchronous, called once per profiling interval on the JS
// thread. drain() returns the whole generation in two Buffers (packed cells
// and stacks) that TypeScript decodes (profiler/drain-layout.ts).
#include "profile_addon.h"

#include <cstring>
#include <memory>
#include <stdexcept>

#include "kernel_features_js.h"
#include "profile_program.h"

namespace periscope {
namespace {

class NativeProfiler : public Napi::ObjectWrap<NativeProfiler> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeProfiler",
                       {InstanceMethod<&NativeProfiler::SetRate>("setRate"),
                        InstanceMethod<&NativeProfiler::Rate>("rate"), InstanceMethod<&NativeProfiler::Cpus>("cpus"),
                        InstanceMethod<&NativeProfiler::Drain>("drain"),
                        InstanceMethod<&NativeProfiler::ReadDropCounters>("readDropCounters"),
                        InstanceMethod<&NativeProfiler::Close>("close")});
  }

  explicit NativeProfiler(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeProfiler>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsObject()) throw Napi::TypeError::New(env, "NativeProfiler(options)");
    Napi::Object options = info[0].As<Napi::Object>();
    ProfileConfig config{options.Get("bpfObjectPath").As<Napi::String>().Utf8Value(),
                         options.Get("hz").As<Napi::Number>().Uint32Value(), kernel_paths_option(options)};
    try {
      program_ = std::make_unique<ProfileProgram>(config);
    } catch (const std::exception& error) {
      throw Napi::Error::New(env, error.what());
    }
  }

 private:
  ProfileProgram& RequireOpen(Napi::Env env) {
    if (!program_) throw Napi::Error::New(env, "profiler is closed");
    return *program_;
  }

  void SetRate(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "setRate(hz: number)");
    try {
      RequireOpen(env).set_rate(info[0].As<Napi::Number>().Uint32Value());
    } catch (const std::exception& error) {
      throw Napi::Error::New(env, error.what());
    }
  }

  Napi::Value Rate(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), RequireOpen(info.Env()).rate()); }

  Napi::Value Cpus(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), RequireOpen(info.Env()).cpus()); }

  // {cells: Buffer (profile_key + profile_value each), stacks: Buffer ([i32 id][u32 n][u64 × n] each), missingStacks}
  Napi::Value Drain(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    ProfileDrain drained;
    try {
      drained = RequireOpen(env).drain();
    } catch (const std::exception& error) {
      throw Napi::Error::New(env, error.what());
    }
    auto cells = Napi::Buffer<uint8_t>::New(env, drained.cells.size() * sizeof(ProfileCell));
    if (!drained.cells.empty()) memcpy(cells.Data(), drained.cells.data(), cells.Length());
    size_t stack_bytes = 0;
    for (const ProfileStack& stack : drained.stacks) stack_bytes += 8 + stack.addresses.size() * 8;
    auto stacks = Napi::Buffer<uint8_t>::New(env, stack_bytes);
    uint8_t* at = stacks.Data();
    for (const ProfileStack& stack : drained.stacks) {
      uint32_t depth = static_cast<uint32_t>(stack.addresses.size());
      memcpy(at, &stack.id, 4);
      memcpy(at + 4, &depth, 4);
      if (depth > 0) memcpy(at + 8, stack.addresses.data(), depth * 8);
      at += 8 + depth * 8;
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("cells", cells);
    result.Set("stacks", stacks);
    result.Set("missingStacks", Napi::Number::New(env, drained.missing_stacks));
    return result;
  }

  Napi::Value ReadDropCounters(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::vector<uint64_t> counters;
    try {
      counters = RequireOpen(env).read_drop_counters();
    } catch (const std::exception& error) {
      throw Napi::Error::New(env, error.what());
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("countsFull", Napi::BigInt::New(env, counters[PROFILE_DROP_COUNTS_FULL]));
    result.Set("userCollision", Napi::BigInt::New(env, counters[PROFILE_DROP_USER_COLLISION]));
    result.Set("kernelCollision", Napi::BigInt::New(env, counters[PROFILE_DROP_KERNEL_COLLISION]));
    result.Set("userFault", Napi::BigInt::New(env, counters[PROFILE_DROP_USER_FAULT]));
    return result;
  }

  void Close(const Napi::CallbackInfo&) { program_.reset(); }

  std::unique_ptr<ProfileProgram> program_;
};

}  // namespace

Napi::Function DefineNativeProfiler(Napi::Env env) { return NativeProfiler::Define(env); }

}  // namespace periscope
