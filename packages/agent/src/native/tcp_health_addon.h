// The JS class over TcpHealthProgram (NativeTcpHealth in native.ts).
#pragma once

#include <napi.h>

namespace periscope {

Napi::Function DefineNativeTcpHealth(Napi::Env env);

}  // namespace periscope
