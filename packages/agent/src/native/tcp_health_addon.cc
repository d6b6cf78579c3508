// NativeTcpHealth: synchronous, called once per reporting interval on the JS
// thread. One batch read returns every connection as packed tcp_conn_stats
// records in a single Buffer; TypeScript decodes them (health/layout.ts).
#include "tcp_health_addon.h"

#include <cstring>
#include <memory>
#include <stdexcept>

#include "kernel_features_js.h"
#include "tcp_health_program.h"

namespace periscope {
namespace {

class NativeTcpHealth : public Napi::ObjectWrap<NativeTcpHealth> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeTcpHealth",
                       {InstanceMethod<&NativeTcpHealth::Read>("read"),
                        InstanceMethod<&NativeTcpHealth::TakeDisplaced>("takeDisplaced"),
                        InstanceMethod<&NativeTcpHealth::Remove>("remove"),
                        InstanceMethod<&NativeTcpHealth::ReadDropCounters>("readDropCounters"),
                        InstanceMethod<&NativeTcpHealth::SwitchedOff>("switchedOff"),
                        InstanceMethod<&NativeTcpHealth::Close>("close")});
  }

  explicit NativeTcpHealth(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeTcpHealth>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsObject()) throw Napi::TypeError::New(env, "NativeTcpHealth(options)");
    Napi::Object options = info[0].As<Napi::Object>();
    TcpHealthConfig config{options.Get("bpfObjectPath").As<Napi::String>().Utf8Value(),
                           options.Get("excludeTgid").As<Napi::Number>().Uint32Value(),
                           options.Get("maxConnections").As<Napi::Number>().Uint32Value(),
                           kernel_paths_option(options)};
    try {
      program_ = std::make_unique<TcpHealthProgram>(config);
    } catch (const std::exception& error) {
      throw Napi::Error::New(env, error.what());
    }
  }

 private:
  TcpHealthProgram& RequireOpen(Napi::Env env) {
    if (!program_) throw Napi::Error::New(env, "tcp health is closed");
    return *program_;
  }

  Napi::Value SwitchedOff(const Napi::CallbackInfo& info) {
    return switched_off_to_js(info.Env(), RequireOpen(info.Env()).switched_off());
  }

  static Napi::Value ToBuffer(Napi::Env env, const std::vector<tcp_conn_stats>& all) {
    auto buffer = Napi::Buffer<uint8_t>::New(env, all.size() * sizeof(tcp_conn_stats));
    if (!all.empty()) memcpy(buffer.Data(), all.data(), buffer.Length());
    return buffer;
  }

  Napi::Value Read(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    try {
      return ToBuffer(env, RequireOpen(env).read_live());
    } catch (const std::exception& error) {
      throw Napi::Error::New(env, error.what());
    }
  }

  Napi::Value TakeDisplaced(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    try {
      return ToBuffer(env, RequireOpen(env).take_displaced());
    } catch (const std::exception& error) {
      throw Napi::Error::New(env, error.what());
    }
  }

  // remove(ids: BigUint64Array)
  void Remove(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsTypedArray()) throw Napi::TypeError::New(env, "remove(BigUint64Array)");
    Napi::TypedArray array = info[0].As<Napi::TypedArray>();
    if (array.TypedArrayType() != napi_biguint64_array) throw Napi::TypeError::New(env, "remove(BigUint64Array)");
    auto ids = array.As<Napi::TypedArrayOf<uint64_t>>();
    std::vector<uint64_t> keys(ids.Data(), ids.Data() + ids.ElementLength());
    try {
      RequireOpen(env).remove(keys);
    } catch (const std::exception& error) {
      throw Napi::Error::New(env, error.what());
    }
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
    result.Set("statsMapFull", Napi::BigInt::New(env, counters[TCP_DROP_STATS_MAP_FULL]));
    result.Set("closedReplaced", Napi::BigInt::New(env, counters[TCP_DROP_CLOSED_REPLACED]));
    return result;
  }

  void Close(const Napi::CallbackInfo&) { program_.reset(); }

  std::unique_ptr<TcpHealthProgram> program_;
};

}  // namespace

Napi::Function DefineNativeTcpHealth(Napi::Env env) { return NativeTcpHealth::Define(env); }

}  // namespace periscope
