import { describe, expect, it } from "vitest";
import {
  ascii,
  be16,
  be32,
  type InferenceCase,
  le32,
  runInferenceCheck,
} from "./fixtures/inference-check.js";

// bpf/protocols/kafka.h and mongo.h (no server here: byte layouts from the
// Kafka protocol guide and the MongoDB wire protocol reference).
const kafkaRequest = (
  size: number,
  key: number,
  version: number,
  correlation: number,
  clientId: string | null,
) =>
  Buffer.concat([
    be32(size),
    be16(key),
    be16(version),
    be32(correlation),
    clientId === null ? be16(-1) : Buffer.concat([be16(clientId.length), ascii(clientId)]),
    Buffer.alloc(4),
  ]);
const kafkaCases: InferenceCase[] = [
  ["ApiVersions v3 from a Java client", kafkaRequest(40, 18, 3, 0, "producer-1"), 1],
  ["Metadata v12 from kafkajs", kafkaRequest(60, 3, 12, 7, "kafkajs"), 1],
  ["Produce v9, null client id", kafkaRequest(200, 0, 9, 42, null), 1],
  ["api key 1000", kafkaRequest(40, 1000, 3, 0, "x"), 0],
  ["api version 300", kafkaRequest(40, 18, 300, 0, "x"), 0],
  ["negative correlation id", kafkaRequest(40, 18, 3, -5, "x"), 0],
  ["client id with control bytes", kafkaRequest(40, 18, 3, 0, "a\x01b"), 0],
  ["client id longer than the request", kafkaRequest(12, 18, 3, 0, "abcdef"), 0],
  ["size below the header", kafkaRequest(6, 18, 3, 0, null), 0],
  ["HTTP", ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0],
];

const opMsg = (length: number, responseTo: number, flags: number, kind: number) =>
  Buffer.concat([
    le32(length),
    le32(1),
    le32(responseTo),
    le32(2013),
    le32(flags),
    Buffer.from([kind]),
    ascii("\x2a\0\0\0\x10hello\0"),
  ]);
const opQuery = Buffer.concat([le32(120), le32(1), le32(0), le32(2004), le32(0), ascii("admin.$cmd\0")]);
const mongoCases: InferenceCase[] = [
  ["OP_MSG hello", opMsg(200, 0, 0, 0), 1],
  ["OP_MSG with exhaustAllowed and checksum", opMsg(200, 0, 0x10001, 0), 1],
  ["OP_MSG with a document sequence", opMsg(200, 0, 0, 1), 1],
  ["legacy OP_QUERY isMaster", opQuery, 1],
  ["OP_MSG reply (responseTo set)", opMsg(200, 7, 0, 0), 0],
  ["OP_MSG with an undefined flag", opMsg(200, 0, 0x4, 0), 0],
  ["OP_MSG section kind 2", opMsg(200, 0, 0, 2), 0],
  ["OP_MSG over 48 MB", opMsg(50_000_000, 0, 0, 0), 0],
  ["opCode 1 (OP_REPLY)", Buffer.concat([le32(100), le32(1), le32(0), le32(1), Buffer.alloc(8)]), 0],
  ["HTTP", ascii("POST /x HTTP/1.1\r\nHost: x\r\n\r\n"), 0],
];

function table(cases: InferenceCase[], results: number[]) {
  it.each(cases.map(([label, , expected], i) => [label, expected, i] as const))(
    "%s -> %s",
    (_l, expected, i) => {
      expect(results[i]).toBe(expected);
    },
  );
}

describe("in-kernel Kafka inference (bpf/protocols/kafka.h)", () => {
  table(kafkaCases, runInferenceCheck("kafka.h", "kafka_looks_like_request(buf, len)", kafkaCases));
});

describe("in-kernel MongoDB inference (bpf/protocols/mongo.h)", () => {
  table(mongoCases, runInferenceCheck("mongo.h", "mongo_looks_like_request(buf, len)", mongoCases));
});
