#include "kernel_features_js.h"

namespace periscope {

KernelPaths kernel_paths_option(const Napi::Object& options) {
  auto text = [&](const char* key) {
    Napi::Value value = options.Get(key);
    return value.IsString() ? value.As<Napi::String>().Utf8Value() : std::string();
  };
  return KernelPaths{text("btfPath"), text("tracefsPath")};
}

Napi::Value switched_off_to_js(Napi::Env env, const std::vector<SwitchedOffProgram>& off) {
  Napi::Array result = Napi::Array::New(env, off.size());
  for (uint32_t i = 0; i < off.size(); i++) {
    Napi::Object entry = Napi::Object::New(env);
    entry.Set("program", off[i].program);
    entry.Set("attachPoint", off[i].attach_point);
    entry.Set("reason", off[i].reason);
    result.Set(i, entry);
  }
  return result;
}

}  // namespace periscope
