// The JS class over ProfileProgram (NativeProfiler in native.ts).
#pragma once

#include <napi.h>

namespace periscope {

Napi::Function DefineNativeProfiler(Napi::Env env);

}  // namespace periscope
