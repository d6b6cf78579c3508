// RFC 7541 Appendix C: every example, keyed by section. Each sequence runs
// through one decoder, as the RFC's examples share one connection's context.
import { describe, expect, it } from "vitest";
import { HpackDecoder } from "./hpack-decoder.js";
import { huffmanDecode } from "./huffman.js";

type Fields = Array<[string, string]>;

interface Step {
  section: string;
  hex: string;
  fields: Fields;
  /** Dynamic table after the block, newest first, and its size (§4.1). */
  table: Fields;
  tableSize: number;
}

const bytes = (hex: string) => Buffer.from(hex.replace(/\s+/g, ""), "hex");

const single: Step[] = [
  {
    section: "C.2.1",
    hex: "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
    fields: [["custom-key", "custom-header"]],
    table: [["custom-key", "custom-header"]],
    tableSize: 55,
  },
  {
    section: "C.2.2",
    hex: "040c 2f73 616d 706c 652f 7061 7468",
    fields: [[":path", "/sample/path"]],
    table: [],
    tableSize: 0,
  },
  {
    section: "C.2.3",
    hex: "1008 7061 7373 776f 7264 0673 6563 7265 74",
    fields: [["password", "secret"]],
    table: [],
    tableSize: 0,
  },
  { section: "C.2.4", hex: "82", fields: [[":method", "GET"]], table: [], tableSize: 0 },
];

const request1: Fields = [
  [":method", "GET"],
  [":scheme", "http"],
  [":path", "/"],
  [":authority", "www.example.com"],
];
const request2: Fields = [...request1, ["cache-control", "no-cache"]];
const request3: Fields = [
  [":method", "GET"],
  [":scheme", "https"],
  [":path", "/index.html"],
  [":authority", "www.example.com"],
  ["custom-key", "custom-value"],
];
const requestTables: Fields[] = [
  [[":authority", "www.example.com"]],
  [
    ["cache-control", "no-cache"],
    [":authority", "www.example.com"],
  ],
  [
    ["custom-key", "custom-value"],
    ["cache-control", "no-cache"],
    [":authority", "www.example.com"],
  ],
];

function requestSequence(prefix: string, hexes: string[]): Step[] {
  return [request1, request2, request3].map((fields, index) => ({
    section: `${prefix}.${index + 1}`,
    hex: hexes[index] ?? "",
    fields,
    table: requestTables[index] ?? [],
    tableSize: [57, 110, 164][index] ?? 0,
  }));
}

const date21 = "Mon, 21 Oct 2013 20:13:21 GMT";
const date22 = "Mon, 21 Oct 2013 20:13:22 GMT";
const location = "https://www.example.com";
const cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
const response1: Fields = [
  [":status", "302"],
  ["cache-control", "private"],
  ["date", date21],
  ["location", location],
];
const response2: Fields = [[":status", "307"], ...response1.slice(1)];
const response3: Fields = [
  [":status", "200"],
  ["cache-control", "private"],
  ["date", date22],
  ["location", location],
  ["content-encoding", "gzip"],
  ["set-cookie", cookie],
];
const responseTables: Fields[] = [
  [
    ["location", location],
    ["date", date21],
    ["cache-control", "private"],
    [":status", "302"],
  ],
  [
    [":status", "307"],
    ["location", location],
    ["date", date21],
    ["cache-control", "private"],
  ],
  [
    ["set-cookie", cookie],
    ["content-encoding", "gzip"],
    ["date", date22],
  ],
];

function responseSequence(prefix: string, hexes: string[]): Step[] {
  return [response1, response2, response3].map((fields, index) => ({
    section: `${prefix}.${index + 1}`,
    hex: hexes[index] ?? "",
    fields,
    table: responseTables[index] ?? [],
    tableSize: [222, 222, 215][index] ?? 0,
  }));
}

const sequences: Array<{ name: string; tableSize: number; steps: Step[] }> = [
  {
    name: "C.3 requests without Huffman coding",
    tableSize: 4096,
    steps: requestSequence("C.3", [
      "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
      "8286 84be 5808 6e6f 2d63 6163 6865",
      "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
    ]),
  },
  {
    name: "C.4 requests with Huffman coding",
    tableSize: 4096,
    steps: requestSequence("C.4", [
      "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
      "8286 84be 5886 a8eb 1064 9cbf",
      "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
    ]),
  },
  {
    // SETTINGS_HEADER_TABLE_SIZE is 256 in C.5 and C.6, so entries are evicted.
    name: "C.5 responses without Huffman coding",
    tableSize: 256,
    steps: responseSequence("C.5", [
      `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
       2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70
       6c65 2e63 6f6d`,
      "4803 3330 37c1 c0bf",
      `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d
       54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049
       5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e
       3d31`,
    ]),
  },
  {
    name: "C.6 responses with Huffman coding",
    tableSize: 256,
    steps: responseSequence("C.6", [
      `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6
       2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3`,
      "4883 640e ffc1 c0bf",
      `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab
       77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
       9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
    ]),
  },
];

function expectStep(decoder: HpackDecoder, step: Step): void {
  const result = decoder.decode(bytes(step.hex));
  expect(result.status, step.section).toBe("ok");
  if (result.status !== "ok") return;
  expect(result.fields.map((field) => [field.name, field.value])).toEqual(step.fields);
  expect(result.unknownFields).toBe(0);
  expect(decoder.dynamicTable).toEqual(step.table);
  expect(decoder.dynamicTableSize).toBe(step.tableSize);
}

describe("HPACK, RFC 7541 Appendix C", () => {
  for (const step of single) {
    it(`${step.section} decodes with a fresh context`, () => expectStep(new HpackDecoder(), step));
  }
  for (const sequence of sequences) {
    describe(sequence.name, () => {
      const decoder = new HpackDecoder(sequence.tableSize);
      for (const step of sequence.steps) {
        it(step.section, () => expectStep(decoder, step));
      }
    });
  }
});

describe("HPACK Huffman code (RFC 7541 §5.2, Appendix B)", () => {
  it("decodes the strings of C.4 and C.6", () => {
    expect(huffmanDecode(bytes("f1e3 c2e5 f23a 6ba0 ab90 f4ff"))?.toString()).toBe("www.example.com");
    expect(huffmanDecode(bytes("6402"))?.toString()).toBe("302");
    expect(huffmanDecode(bytes("9bd9 ab"))?.toString()).toBe("gzip");
  });

  it("rejects padding longer than 7 bits and padding that is not EOS's prefix", () => {
    // 'a' is 00011 (5 bits): three 1-bits of padding are fine, a zero bit is not.
    expect(huffmanDecode(Uint8Array.of(0b00011111))?.toString()).toBe("a");
    expect(huffmanDecode(Uint8Array.of(0b00011110))).toBeUndefined();
    expect(huffmanDecode(Uint8Array.of(0b00011111, 0xff))).toBeUndefined();
  });

  it("rejects an encoded EOS", () => {
    expect(huffmanDecode(Uint8Array.of(0xff, 0xff, 0xff, 0xff))).toBeUndefined();
  });
});

describe("HPACK decoding errors and lost context", () => {
  it("rejects an index past the dynamic table when the context is complete", () => {
    expect(new HpackDecoder().decode(Uint8Array.of(0xbe)).status).toBe("error");
  });

  it("rejects a table size update after a field, or above the SETTINGS limit (§4.2)", () => {
    expect(new HpackDecoder().decode(Uint8Array.of(0x82, 0x20)).status).toBe("error");
    expect(new HpackDecoder(256).decode(bytes("3fe1 1f")).status).toBe("error");
  });

  it("rejects truncated integers and strings instead of throwing", () => {
    for (const hex of ["ff", "ff80", "400a 6375", "41", "7f ffff ffff ff"]) {
      expect(new HpackDecoder().decode(bytes(hex)).status, hex).toBe("error");
    }
  });

  it("after losing context, resolves static and newly inserted entries and reports the rest unknown", () => {
    const decoder = new HpackDecoder();
    decoder.loseContext();
    // C.3.1 inserts :authority; 0xbe (62) is then that entry, 0xbf (63) is unknown.
    const first = decoder.decode(bytes("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"));
    expect(first).toMatchObject({ status: "ok", unknownFields: 0 });
    const second = decoder.decode(bytes("82be bf"));
    expect(second).toEqual({
      status: "ok",
      fields: [
        { name: ":method", value: "GET" },
        { name: ":authority", value: "www.example.com" },
      ],
      unknownFields: 1,
    });
  });

  it("a literal with an unknown indexed name makes every dynamic entry unknown", () => {
    const decoder = new HpackDecoder();
    decoder.loseContext();
    decoder.decode(bytes("4003 6b65 7901 76")); // key: v, inserted
    const result = decoder.decode(bytes("7f0a 0176 be")); // name index 72 (unknown), then 62
    expect(result).toMatchObject({ status: "ok", fields: [], unknownFields: 2 });
  });

  it("a table size update to 0 makes the context complete again", () => {
    const decoder = new HpackDecoder();
    decoder.loseContext();
    expect(decoder.decode(bytes("203f e11f 82")).status).toBe("ok");
    expect(decoder.contextComplete).toBe(true);
  });

  it("replaces redacted values before they are stored", () => {
    const decoder = new HpackDecoder(4096, { redactedNames: new Set(["authorization"]) });
    const result = decoder.decode(bytes("5706 7365 6372 6574 be"));
    expect(result).toMatchObject({
      status: "ok",
      fields: [
        { name: "authorization", value: "[redacted]" },
        { name: "authorization", value: "[redacted]" },
      ],
    });
    expect(decoder.dynamicTableSize).toBe("authorization".length + 6 + 32);
  });
});
