// Maps an Export batch's ProfileSamples onto rows of profile_stacks and
// profile_samples (migration 0006), checking each stack and sample on its
// own: a bad one is left out and counted by reason while the rest of the
// batch is stored (as metric series are), so the agent does not resend it.
import type { ProfileSamples } from "@periscope/proto";

export const PROFILE_REJECTION_REASONS = [
  "bad_time",
  "bad_rate",
  "too_many_frames",
  "field_too_long",
  "value_too_large",
  "unknown_stack",
] as const;
export type ProfileRejectionReason = (typeof PROFILE_REJECTION_REASONS)[number];

export interface ProfileStackRow {
  /** UInt64 as a decimal string: exact above 2^53. */
  stack_hash: string;
  /** Root first. */
  frames: string[];
  /** Unix seconds. */
  last_seen: number;
}

export interface ProfileSampleRow {
  /** Unix seconds: the interval's start. */
  time: number;
  agent_id: string;
  namespace: string;
  service: string;
  pid: number;
  process: string;
  /** The sampled process's container ("" outside one) and, in a cluster, its pod. */
  container_id: string;
  pod: string;
  stack_hash: string;
  samples: string;
}

export interface ProfileRejection {
  reason: ProfileRejectionReason;
  detail: string;
}

/** The kernel walks at most 127 frames per stack, user and kernel each, plus the agent's markers. */
export const MAX_FRAMES = 300;
const MAX_FRAME_LENGTH = 1024;
const MAX_NAME_LENGTH = 256;
/** The agent drains at most every 15 s; a longer interval is a broken clock or a foreign sender. */
const MAX_INTERVAL_NANOS = 60n * 1_000_000_000n;
const MAX_RATE_HZ = 499;
/** A count per (process, stack) per interval: 499 Hz × 4096 CPUs × 60 s stays far below. */
const MAX_SAMPLES = 2n ** 40n;
const NANOS_PER_SECOND = 1_000_000_000n;
const EARLIEST_NANOS = 946_684_800n * NANOS_PER_SECOND; // 2000-01-01
const ALLOWED_FUTURE_SKEW_NANOS = 3_600n * NANOS_PER_SECOND;

/** The Kubernetes identity of a container id, when the collector knows one (kubernetes/identity.ts). */
export type ContainerIdentity = (
  containerId: string,
) => { namespace: string; displayName: string; pod: string } | undefined;

export interface ProfileRows {
  stacks: ProfileStackRow[];
  samples: ProfileSampleRow[];
  rejections: ProfileRejection[];
}

/**
 * A sample may name a stack sent in an earlier batch (the agent sends each
 * stack once), so a hash missing from this batch is not a rejection.
 */
export function toProfileRows(
  agentId: string,
  profiles: readonly ProfileSamples[],
  nowMs: number = Date.now(),
  identify?: ContainerIdentity,
): ProfileRows {
  const rows: ProfileRows = { stacks: [], samples: [], rejections: [] };
  const nowNanos = BigInt(Math.trunc(nowMs)) * 1_000_000n;
  const nowSeconds = Math.floor(nowMs / 1000);
  profiles.forEach((profile, p) => {
    const where = `profiles[${p}]`;
    const reject = (reason: ProfileRejectionReason, detail: string) =>
      rows.rejections.push({ reason, detail });
    if (
      profile.startTimeUnixNano < EARLIEST_NANOS ||
      profile.startTimeUnixNano > nowNanos + ALLOWED_FUTURE_SKEW_NANOS
    ) {
      reject("bad_time", `${where}: start is before 2000 or more than an hour ahead`);
      return;
    }
    if (profile.intervalNano > MAX_INTERVAL_NANOS) {
      reject("bad_time", `${where}: interval is longer than a minute`);
      return;
    }
    if (profile.rateHz === 0 || profile.rateHz > MAX_RATE_HZ) {
      reject("bad_rate", `${where}: rate ${profile.rateHz} Hz is outside 1..${MAX_RATE_HZ}`);
      return;
    }
    const time = Number(profile.startTimeUnixNano / NANOS_PER_SECOND);
    profile.stacks.forEach((stack, s) => {
      if (stack.frames.length === 0 || stack.frames.length > MAX_FRAMES) {
        reject("too_many_frames", `${where}.stacks[${s}]: ${stack.frames.length} frames (1..${MAX_FRAMES})`);
        return;
      }
      if (stack.frames.some((frame) => frame.length > MAX_FRAME_LENGTH)) {
        reject("field_too_long", `${where}.stacks[${s}]: a frame longer than ${MAX_FRAME_LENGTH} characters`);
        return;
      }
      rows.stacks.push({ stack_hash: stack.hash.toString(), frames: stack.frames, last_seen: nowSeconds });
    });
    profile.samples.forEach((sample, s) => {
      if (sample.process.length > MAX_NAME_LENGTH || sample.service.length > MAX_NAME_LENGTH) {
        reject("field_too_long", `${where}.samples[${s}]: process or service longer than ${MAX_NAME_LENGTH}`);
        return;
      }
      if (sample.samples === 0n || sample.samples > MAX_SAMPLES) {
        reject("value_too_large", `${where}.samples[${s}]: ${sample.samples} samples (1..2^40)`);
        return;
      }
      if (sample.stackHash === 0n) {
        reject("unknown_stack", `${where}.samples[${s}]: stack hash 0`);
        return;
      }
      // In a cluster the pod's workload names the service, as it names request records' ends.
      const identity = sample.containerId === "" ? undefined : identify?.(sample.containerId);
      rows.samples.push({
        time,
        agent_id: agentId,
        namespace: identity?.namespace ?? "",
        service:
          identity !== undefined && identity.displayName !== "" ? identity.displayName : sample.service,
        pid: sample.pid,
        process: sample.process,
        container_id: sample.containerId,
        pod: identity?.pod ?? "",
        stack_hash: sample.stackHash.toString(),
        samples: sample.samples.toString(),
      });
    });
  });
  return rows;
}
