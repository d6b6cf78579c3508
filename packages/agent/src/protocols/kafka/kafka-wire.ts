// Kafka wire constants, from the protocol guide (kafka.apache.org/protocol) and
// the message JSON schemas in clients/src/main/resources/common/message/.

/** API keys, by name, for the APIs a client sends most. */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
  AddPartitionsToTxn: 24,
  EndTxn: 26,
  DescribeConfigs: 32,
  SaslAuthenticate: 36,
} as const;

export const API_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(ApiKey).map(([name, key]) => [key, name]),
);

/**
 * First flexible version per API (KIP-482: compact strings and arrays, tagged
 * fields, request header v2 and response header v1), from each schema's
 * "flexibleVersions". APIs not listed are treated as never flexible.
 */
export const FIRST_FLEXIBLE_VERSION: ReadonlyMap<number, number> = new Map([
  [ApiKey.Produce, 9],
  [ApiKey.Fetch, 12],
  [ApiKey.ListOffsets, 6],
  [ApiKey.Metadata, 9],
  [ApiKey.OffsetCommit, 8],
  [ApiKey.OffsetFetch, 6],
  [ApiKey.FindCoordinator, 3],
  [ApiKey.JoinGroup, 6],
  [ApiKey.Heartbeat, 4],
  [ApiKey.LeaveGroup, 4],
  [ApiKey.SyncGroup, 4],
  [ApiKey.DescribeGroups, 5],
  [ApiKey.ListGroups, 3],
  [ApiKey.ApiVersions, 3],
  [ApiKey.CreateTopics, 5],
  [ApiKey.DeleteTopics, 4],
  [ApiKey.InitProducerId, 2],
  [ApiKey.AddPartitionsToTxn, 3],
  [ApiKey.EndTxn, 3],
  [ApiKey.DescribeConfigs, 4],
  [ApiKey.SaslAuthenticate, 2],
]);

export function isFlexible(apiKey: number, apiVersion: number): boolean {
  const first = FIRST_FLEXIBLE_VERSION.get(apiKey);
  return first !== undefined && apiVersion >= first;
}

/** Highest version of each API this agent knows; others are refused as not Kafka. */
export const MAX_KNOWN_API_KEY = 80;
export const MAX_KNOWN_API_VERSION = 20;

/** Error codes users meet most (the protocol guide's "Error Codes" table). */
export const ERROR_NAMES: ReadonlyMap<number, string> = new Map([
  [-1, "UNKNOWN_SERVER_ERROR"],
  [1, "OFFSET_OUT_OF_RANGE"],
  [2, "CORRUPT_MESSAGE"],
  [3, "UNKNOWN_TOPIC_OR_PARTITION"],
  [5, "LEADER_NOT_AVAILABLE"],
  [6, "NOT_LEADER_OR_FOLLOWER"],
  [7, "REQUEST_TIMED_OUT"],
  [10, "MESSAGE_TOO_LARGE"],
  [15, "COORDINATOR_NOT_AVAILABLE"],
  [16, "NOT_COORDINATOR"],
  [17, "INVALID_TOPIC_EXCEPTION"],
  [19, "NOT_ENOUGH_REPLICAS"],
  [25, "UNKNOWN_MEMBER_ID"],
  [27, "REBALANCE_IN_PROGRESS"],
  [29, "TOPIC_AUTHORIZATION_FAILED"],
  [35, "UNSUPPORTED_VERSION"],
  [36, "TOPIC_ALREADY_EXISTS"],
  [58, "SASL_AUTHENTICATION_FAILED"],
  [100, "UNKNOWN_TOPIC_ID"],
]);

/** Frames are int32-length-prefixed; brokers refuse requests over socket.request.max.bytes (100 MiB). */
export const MAX_FRAME_BYTES = 100 * 1024 * 1024;
