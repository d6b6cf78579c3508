import { huffmanDecode } from "./huffman.js";
import { STATIC_TABLE } from "./static-table.js";

export interface HeaderField {
  /** As sent: HTTP/2 requires lower-case names (RFC 9113 §8.2.1). */
  name: string;
  value: string;
}

export type HeaderBlockResult =
  | {
      status: "ok";
      fields: HeaderField[];
      /** Fields that referenced dynamic-table entries we never saw (context incomplete). */
      unknownFields: number;
    }
  | { status: "error"; reason: string };

interface DynamicEntry {
  name: string;
  value: string;
  /** Octets of name and value plus 32 (§4.1), from the wire lengths, kept for redacted values too. */
  size: number;
}

/** SETTINGS_HEADER_TABLE_SIZE's initial value (RFC 9113 §6.5.2). */
export const DEFAULT_HEADER_TABLE_SIZE = 4096;
/** §4.1: an entry's size is its name and value octets plus this overhead. */
const ENTRY_OVERHEAD = 32;
const STATIC_COUNT = STATIC_TABLE.length;
/** Integers past this are no header index, length or table size we accept (§5.1 leaves the bound to us). */
const MAX_INTEGER = 2 ** 28;

export interface HpackDecoderOptions {
  /** Names whose values are replaced before they are stored anywhere (authorization, cookies). */
  redactedNames?: ReadonlySet<string>;
}

export const REDACTED = "[redacted]";

/**
 * One direction's HPACK decoding context (RFC 7541): the dynamic table the
 * peer's encoder maintains, followed passively.
 *
 * When the context is incomplete (we joined a connection late, or lost a header
 * block to a gap) the table's older entries are unknown. Indices still resolve
 * exactly for the static table, for literals, and for entries inserted since:
 * those are the newest, so index 62 + i is the (i+1)th of them for as long as
 * we hold it (evicting them early only makes a reference unknown, never wrong).
 * A reference past them is reported as unknown instead of an error, and a
 * table-size update to 0 empties the table, which makes the context complete again.
 */
export class HpackDecoder {
  /** Newest first, as indexed (§2.3.3). */
  private entries: DynamicEntry[] = [];
  private tableSize = 0;
  private maxTableSize: number;
  /** The largest size the decoding peer's SETTINGS_HEADER_TABLE_SIZE allows (§4.2). */
  private settingsLimit: number;
  private complete = true;
  private readonly redactedNames: ReadonlySet<string>;

  constructor(maxTableSize = DEFAULT_HEADER_TABLE_SIZE, options: HpackDecoderOptions = {}) {
    this.maxTableSize = maxTableSize;
    this.settingsLimit = maxTableSize;
    this.redactedNames = options.redactedNames ?? new Set();
  }

  /** True while every dynamic-table entry the peer may reference is known. */
  get contextComplete(): boolean {
    return this.complete;
  }

  /** Dynamic table, newest first (for tests and diagnostics). */
  get dynamicTable(): ReadonlyArray<readonly [string, string]> {
    return this.entries.map((entry) => [entry.name, entry.value] as const);
  }

  get dynamicTableSize(): number {
    return this.tableSize;
  }

  /**
   * The decoding peer announced SETTINGS_HEADER_TABLE_SIZE. Encoders switch at
   * the SETTINGS ACK, which we cannot order exactly against the other
   * direction, so the bound only ever grows: a lower value is enforced by the
   * size update the encoder must then send (§4.2).
   */
  announceSettingsLimit(value: number): void {
    this.settingsLimit = Math.max(this.settingsLimit, value);
  }

  /** Earlier header blocks went unseen: what the table holds is no longer known. */
  loseContext(): void {
    this.complete = false;
    this.entries = [];
    this.tableSize = 0;
    // Whatever limit was agreed is unknown too; accept any update a 32-bit setting allows.
    this.settingsLimit = 2 ** 32 - 1;
  }

  /** Decodes one complete header block (the fragments of HEADERS/PUSH_PROMISE + CONTINUATION joined). */
  decode(block: Uint8Array): HeaderBlockResult {
    const cursor = { at: 0 };
    const fields: HeaderField[] = [];
    let unknownFields = 0;
    let sawField = false;
    while (cursor.at < block.length) {
      const first = block[cursor.at] ?? 0;
      if (first & 0x80) {
        // §6.1 Indexed Header Field: 1xxxxxxx.
        const index = readInteger(block, cursor, 7);
        if (index === undefined || index === 0) return fail("bad indexed field");
        const entry = this.lookup(index);
        if (entry === "error") return fail(`index ${index} is outside the table`);
        if (entry === "unknown") unknownFields++;
        else fields.push({ name: entry.name, value: entry.value });
        sawField = true;
      } else if (first & 0x40 || (first & 0x20) === 0) {
        // §6.2.1 with incremental indexing (01xxxxxx, 6-bit name index); §6.2.2
        // without indexing (0000xxxx) and §6.2.3 never indexed (0001xxxx), 4-bit.
        const indexing = (first & 0x40) !== 0;
        const nameIndex = readInteger(block, cursor, indexing ? 6 : 4);
        if (nameIndex === undefined) return fail("bad literal field");
        let name: string | undefined;
        let nameBytes = 0;
        if (nameIndex === 0) {
          const literal = readString(block, cursor);
          if (literal === undefined) return fail("bad name literal");
          name = literal.toString("latin1");
          nameBytes = literal.length;
        } else {
          const entry = this.lookup(nameIndex);
          if (entry === "error") return fail(`name index ${nameIndex} is outside the table`);
          if (entry !== "unknown") {
            name = entry.name;
            nameBytes = Buffer.byteLength(entry.name, "latin1");
          }
        }
        const literal = readString(block, cursor);
        if (literal === undefined) return fail("bad value literal");
        sawField = true;
        const value =
          name !== undefined && this.redactedNames.has(name) ? REDACTED : literal.toString("latin1");
        if (name === undefined) unknownFields++;
        else fields.push({ name, value });
        if (indexing) {
          if (name === undefined) {
            // An entry of unknown name and size now heads the table: nothing in it is known.
            this.loseContext();
          } else {
            this.insert({ name, value, size: nameBytes + literal.length + ENTRY_OVERHEAD });
          }
        }
      } else {
        // §6.3 Dynamic Table Size Update: 001xxxxx, only before the first field (§4.2).
        if (sawField) return fail("table size update after a header field");
        const size = readInteger(block, cursor, 5);
        if (size === undefined || size > this.settingsLimit) return fail("table size update above the limit");
        this.maxTableSize = size;
        this.evictTo(size);
        if (size === 0 && !this.complete) {
          // An empty table is a known table.
          this.complete = true;
        }
      }
    }
    return { status: "ok", fields, unknownFields };
  }

  private lookup(index: number): DynamicEntry | "unknown" | "error" {
    if (index <= STATIC_COUNT) {
      const [name, value] = STATIC_TABLE[index - 1] ?? ["", ""];
      return { name, value, size: 0 };
    }
    const entry = this.entries[index - STATIC_COUNT - 1];
    if (entry !== undefined) return entry;
    return this.complete ? "error" : "unknown";
  }

  /** §4.4: evict from the end until the new entry fits; an entry larger than the table empties it. */
  private insert(entry: DynamicEntry): void {
    this.evictTo(this.maxTableSize - entry.size);
    if (entry.size > this.maxTableSize) return;
    this.entries.unshift(entry);
    this.tableSize += entry.size;
  }

  private evictTo(size: number): void {
    while (this.tableSize > Math.max(0, size) && this.entries.length > 0) {
      const evicted = this.entries.pop();
      this.tableSize -= evicted?.size ?? 0;
    }
    if (size < 0) {
      this.entries = [];
      this.tableSize = 0;
    }
  }
}

function fail(reason: string): HeaderBlockResult {
  return { status: "error", reason };
}

/** §5.1: an N-bit prefix integer, continued in 7-bit groups while the high bit is set. */
function readInteger(block: Uint8Array, cursor: { at: number }, prefixBits: number): number | undefined {
  const mask = (1 << prefixBits) - 1;
  const first = block[cursor.at];
  if (first === undefined) return undefined;
  cursor.at++;
  let value = first & mask;
  if (value < mask) return value;
  let multiplier = 1;
  for (;;) {
    const next = block[cursor.at];
    if (next === undefined) return undefined;
    cursor.at++;
    value += (next & 0x7f) * multiplier;
    if (value > MAX_INTEGER) return undefined;
    if ((next & 0x80) === 0) return value;
    multiplier *= 128;
  }
}

/** §5.2: H bit + 7-bit prefix length, then the octets, Huffman-coded when H is set. */
function readString(block: Uint8Array, cursor: { at: number }): Buffer | undefined {
  const huffman = ((block[cursor.at] ?? 0) & 0x80) !== 0;
  const length = readInteger(block, cursor, 7);
  if (length === undefined || cursor.at + length > block.length) return undefined;
  const raw = block.subarray(cursor.at, cursor.at + length);
  cursor.at += length;
  return huffman ? huffmanDecode(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.length);
}
