// CIDR blocks over the agent's one address spelling (connections/ip-address.ts):
// membership, and the block of a given prefix length an address falls in.
import { isIPv4, isIPv6 } from "node:net";
import { formatIpv4, formatIpv6 } from "../capture/address-format.js";
import { parseIpv6 } from "../connections/ip-address.js";

export interface AddressBlock {
  family: 4 | 6;
  /** Network order: 4 bytes for IPv4, 16 for IPv6. */
  bytes: Uint8Array;
  prefix: number;
}

/** Address bytes, or undefined for text that is no address. IPv4-mapped IPv6 reads as IPv4. */
export function addressBytes(ip: string): { family: 4 | 6; bytes: Uint8Array } | undefined {
  if (isIPv4(ip)) return { family: 4, bytes: Uint8Array.from(ip.split(".").map(Number)) };
  if (!isIPv6(ip)) return undefined;
  const bytes = parseIpv6(ip);
  if (bytes === undefined) return undefined;
  const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? { family: 4, bytes: bytes.slice(12, 16) } : { family: 6, bytes };
}

/** "10.0.0.0/8", "fc00::/7": throws a message naming the text when it is not a block. */
export function parseBlock(text: string): AddressBlock {
  const slash = text.indexOf("/");
  const address = addressBytes(slash < 0 ? text : text.slice(0, slash));
  if (address === undefined)
    throw new Error(`"${text}" is not an address block (like 10.0.0.0/8 or fc00::/7)`);
  const bits = address.family === 4 ? 32 : 128;
  const prefix = slash < 0 ? bits : Number(text.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits || text.slice(slash + 1).trim() === "") {
    throw new Error(`"${text}": the prefix length must be a whole number from 0 to ${bits}`);
  }
  return { family: address.family, bytes: masked(address.bytes, prefix), prefix };
}

export function blockContains(block: AddressBlock, address: { family: 4 | 6; bytes: Uint8Array }): boolean {
  if (block.family !== address.family) return false;
  const whole = block.prefix >> 3;
  for (let i = 0; i < whole; i++) if (block.bytes[i] !== address.bytes[i]) return false;
  const rest = block.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((address.bytes[whole] ?? 0) & mask) === block.bytes[whole];
}

/** The block of `prefix` bits holding the address, as text: "203.0.113.0/24". */
export function blockOf(address: { family: 4 | 6; bytes: Uint8Array }, prefix: number): string {
  const network = masked(address.bytes, prefix);
  if (address.family === 4) return `${formatIpv4(network)}/${prefix}`;
  return `${formatIpv6(network)}/${prefix}`;
}

function masked(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let bit = prefix; bit < out.length * 8; bit++) {
    const index = bit >> 3;
    out[index] = (out[index] ?? 0) & ~(0x80 >> (bit & 7));
  }
  return out;
}
