{
  "targets": [
    {
      "target_name": "periscope_native",
      "sources": [
        "src/native/addon.cc",
        "src/native/bpf_object_util.cc",
        "src/native/kernel_features.cc",
        "src/native/kernel_features_js.cc",
        "src/native/libbpf_log.cc",
        "src/native/profile_addon.cc",
        "src/native/profile_program.cc",
        "src/native/ring_poller.cc",
        "src/native/socket_trace_program.cc",
        "src/native/tcp_health_addon.cc",
        "src/native/tcp_health_program.cc",
        "src/native/tracefs.cc",
        "src/native/uprobe_attach.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-Werror"],
      "libraries": ["-lbpf", "-lelf", "-lz"]
    }
  ]
}
