// Byte layout of the ring-buffer records in bpf/common/socket_trace.h, and of
// the batches the native poller hands over. layout.test.ts compiles the
// header and checks every number here against the C compiler's answer.

/** Each record in a batch is preceded by its length (u32, little endian). */
export const BATCH_LENGTH_PREFIX_BYTES = 4;

/** PERISCOPE_MAX_CAPTURE: most payload bytes one syscall can capture. */
export const MAX_CAPTURE_BYTES = 16384;
/** PERISCOPE_DEFAULT_CAPTURE. */
export const DEFAULT_CAPTURE_BYTES = 4096;

/** enum event_type */
export const EventType = { ConnOpen: 1, ConnClose: 2, Data: 3 } as const;

/** enum drop_counter: indices of the per-CPU drop counter array. */
export const DropCounterIndex = {
  RingbufFull: 0,
  ConnMapFull: 1,
  ReadFailed: 2,
  SampledOut: 3,
  DisabledPayload: 4,
  MmsgTruncated: 5,
  Count: 6,
} as const;

/** PERISCOPE_SYSCALL_SLOTS: capture caps per enum source_syscall value. */
export const SYSCALL_SLOTS = 16;

/** enum data_flags */
export const DataFlag = { PayloadDisabled: 1 } as const;

/** enum filter_flags (capture_config.filter_flags) */
export const FilterFlag = { PidInclude: 1, PidExclude: 2, CgroupInclude: 4, CgroupExclude: 8 } as const;

/** enum filter_mark (pid_filter / cgroup_filter values) */
export const FilterMark = { Include: 1, Exclude: 2 } as const;

/** struct capture_config */
export const CaptureConfigLayout = {
  size: 80,
  captureBytes: 0,
  disabledProtocols: 64,
  filterFlags: 68,
  sampleEvery: 72,
} as const;

/** Address families as the kernel reports them (linux/socket.h). */
export const AddressFamily = { Inet: 2, Inet6: 10 } as const;

/** struct event_header (with struct conn_id inlined). */
export const EventHeaderLayout = {
  size: 32,
  timestampNs: 0,
  connTgid: 8,
  connFd: 12,
  connGeneration: 16,
  pid: 24,
  type: 28,
  recordSize: 30,
} as const;

/** enum transport */
export const TransportCode = { Tcp: 1, Udp: 2 } as const;

/** struct conn_open_event */
export const ConnOpenLayout = {
  size: 96,
  localAddr: 32,
  remoteAddr: 48,
  addrBytes: 16,
  family: 64,
  localPort: 66,
  remotePort: 68,
  role: 70,
  source: 71,
  comm: 72,
  commBytes: 16,
  transport: 88,
} as const;

/** struct conn_close_event */
export const ConnCloseLayout = {
  size: 48,
  bytesSent: 32,
  bytesReceived: 40,
} as const;

/** struct data_event; the payload starts at `data` (== size). */
export const DataEventLayout = {
  size: 56,
  streamOffset: 32,
  syscallLen: 40,
  capturedLen: 44,
  direction: 48,
  source: 49,
  protocol: 50,
  role: 51,
  flags: 52,
  data: 56,
} as const;
