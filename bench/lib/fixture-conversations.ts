// The committed protocol fixtures (packages/agent/src/protocols/<proto>/fixtures/)
// as ordered conversations: who spoke, then what, one write or datagram at a time.
// Three layouts exist there, written by each protocol's capture script:
//   <name>.transcript                    segments in order: '>' or '<', u32 BE length, bytes
//                                        (protocols/testing/transcript.ts)
//   <name>.requests.<ext> + .responses.<ext> [+ <name>.order.json: [["c"|"s", length], …]]
//                                        without an order file, all requests then all
//                                        responses (pairing is first in, first out)
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const protocolsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../packages/agent/src/protocols",
);

export interface Segment {
  fromClient: boolean;
  bytes: Buffer;
}

export interface Conversation {
  /** `<folder>/<name>`, for the printed table. */
  name: string;
  segments: Segment[];
}

/** A `.transcript` file: segments in the order they were seen. */
export function transcript(folder: string, name: string): Conversation {
  const file = readFileSync(path.join(protocolsDir, folder, "fixtures", `${name}.transcript`));
  const segments: Segment[] = [];
  for (let offset = 0; offset + 5 <= file.length; ) {
    const length = file.readUInt32BE(offset + 1);
    segments.push({
      fromClient: file[offset] === 0x3e,
      bytes: file.subarray(offset + 5, offset + 5 + length),
    });
    offset += 5 + length;
  }
  if (segments.length === 0) throw new Error(`${folder}/${name}.transcript is empty`);
  return { name: `${folder}/${name}`, segments };
}

/** `<name>.requests.<ext>` and `.responses.<ext>`, in the order `<name>.order.json` gives when present. */
export function requestsAndResponses(folder: string, name: string, ext: string): Conversation {
  const base = path.join(protocolsDir, folder, "fixtures", name);
  const requests = readFileSync(`${base}.requests.${ext}`);
  const responses = readFileSync(`${base}.responses.${ext}`);
  const order: Array<["c" | "s", number]> = existsSync(`${base}.order.json`)
    ? JSON.parse(readFileSync(`${base}.order.json`, "utf8"))
    : [
        ["c", requests.length],
        ["s", responses.length],
      ];
  const offsets = { c: 0, s: 0 };
  const segments = order.map(([speaker, length]) => {
    const source = speaker === "c" ? requests : responses;
    const bytes = source.subarray(offsets[speaker], offsets[speaker] + length);
    offsets[speaker] += length;
    return { fromClient: speaker === "c", bytes };
  });
  if (offsets.c !== requests.length || offsets.s !== responses.length)
    throw new Error(`${folder}/${name}.order.json does not cover its bytes`);
  return { name: `${folder}/${name}`, segments: segments.filter((segment) => segment.bytes.length > 0) };
}
