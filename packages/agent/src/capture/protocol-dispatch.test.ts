import { describe, expect, it } from "vitest";
import { KernelProtocol, Role } from "./events.js";
import { ascii, be16, be32, type InferenceCase, runInferenceCheck } from "./fixtures/inference-check.js";

// bpf/protocols/infer.h: which check runs for which side of a conversation.
// Each scenario: the bytes, the connection's role, direction and transport.
const DIR_EGRESS = 1;
const DIR_INGRESS = 2;
const TCP = 1;
const UDP = 2;
const dnsQuery = Buffer.concat([
  be16(0x1234),
  be16(0x0100),
  be16(1),
  be16(0),
  be16(0),
  be16(0),
  ascii("\x07example\x03com\0\0\x01\0\x01"),
]);
const settings = Buffer.from([0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100]);

type Scenario = [
  label: string,
  bytes: Buffer,
  role: number,
  direction: number,
  transport: number,
  expected: number,
];
const scenarios: Scenario[] = [
  [
    "client's PostgreSQL startup",
    Buffer.concat([be32(41), be32(196608), ascii("user\0periscope\0")]),
    Role.Client,
    DIR_EGRESS,
    TCP,
    KernelProtocol.Postgres,
  ],
  [
    "MySQL greeting read by the client",
    ascii("d\0\0\0\n5.5.5-10.11.19-MariaDB\0"),
    Role.Client,
    DIR_INGRESS,
    TCP,
    KernelProtocol.Mysql,
  ],
  [
    "NATS INFO written by the server",
    ascii('INFO {"server_id":"x"}\r\n'),
    Role.Server,
    DIR_EGRESS,
    TCP,
    KernelProtocol.Nats,
  ],
  [
    "Redis command read by the server",
    ascii("*1\r\n$4\r\nPING\r\n"),
    Role.Server,
    DIR_INGRESS,
    TCP,
    KernelProtocol.Redis,
  ],
  ["Redis reply read by the client", ascii("+PONG\r\n"), Role.Client, DIR_INGRESS, TCP, KernelProtocol.Redis],
  [
    "a '+OK' line on the request side is not Redis",
    ascii("+OK\r\n"),
    Role.Client,
    DIR_EGRESS,
    TCP,
    KernelProtocol.Unknown,
  ],
  [
    "a '+OK' line with the role unknown is not Redis",
    ascii("+OK\r\n"),
    Role.Unknown,
    DIR_INGRESS,
    TCP,
    KernelProtocol.Unknown,
  ],
  [
    "HTTP/2 SETTINGS written first by the server",
    settings,
    Role.Server,
    DIR_EGRESS,
    TCP,
    KernelProtocol.Http2,
  ],
  [
    "HTTP/2 SETTINGS read by a client is not trusted",
    settings,
    Role.Client,
    DIR_INGRESS,
    TCP,
    KernelProtocol.Unknown,
  ],
  [
    "the HTTP/2 preface is HTTP/2, not HTTP/1",
    ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
    Role.Client,
    DIR_EGRESS,
    TCP,
    KernelProtocol.Http2,
  ],
  ["HTTP/1 still first", ascii("GET / HTTP/1.1\r\n"), Role.Unknown, DIR_EGRESS, TCP, KernelProtocol.Http1],
  [
    "a PostgreSQL startup on the response side is not trusted",
    Buffer.concat([be32(41), be32(196608), ascii("user\0x\0")]),
    Role.Client,
    DIR_INGRESS,
    TCP,
    KernelProtocol.Unknown,
  ],
  ["DNS query datagram", dnsQuery, Role.Client, DIR_EGRESS, UDP, KernelProtocol.Dns],
  [
    "DNS over TCP",
    Buffer.concat([be16(dnsQuery.length), dnsQuery]),
    Role.Client,
    DIR_EGRESS,
    TCP,
    KernelProtocol.Dns,
  ],
  [
    "over UDP only DNS is checked",
    ascii("GET / HTTP/1.1\r\n"),
    Role.Client,
    DIR_EGRESS,
    UDP,
    KernelProtocol.Unknown,
  ],
];

describe("in-kernel protocol dispatch (bpf/protocols/infer.h)", () => {
  // One C program; the role, direction and transport of each case are spliced as constants.
  const results = scenarios.map(([label, bytes, role, direction, transport]) => {
    const cases: InferenceCase[] = [[label, bytes, 0]];
    return runInferenceCheck(
      "infer.h",
      `infer_protocol_from_peek(buf, len, size, ${role}, ${direction}, ${transport})`,
      cases,
    )[0];
  });
  it.each(scenarios.map(([label, , , , , expected], i) => [label, expected, i] as const))(
    "%s -> %s",
    (_l, expected, i) => {
      expect(results[i]).toBe(expected);
    },
  );
});
