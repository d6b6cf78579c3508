// Node glue for kernel_features.h, shared by NativeTracer and NativeTcpHealth.
#pragma once

#include <napi.h>

#include <vector>

#include "kernel_features.h"

namespace periscope {

// {btfPath?: string, tracefsPath?: string} from a constructor's options.
KernelPaths kernel_paths_option(const Napi::Object& options);

// [{program, attachPoint, reason}, ...]
Napi::Value switched_off_to_js(Napi::Env env, const std::vector<SwitchedOffProgram>& off);

}  // namespace periscope
