import { isIPv4, isIPv6 } from "node:net";
import { formatIpv4, formatIpv6 as formatRfc5952 } from "../capture/address-format.js";

/**
 * One spelling per address, so endpoints from the kernel, from /proc and from
 * the OS compare equal: IPv4-mapped IPv6 becomes dotted IPv4 (a dual-stack
 * listener sees IPv4 peers that way), IPv6 is written as RFC 5952 §4 says.
 */
export function normalizeIp(text: string): string {
  if (isIPv4(text)) return text;
  if (!isIPv6(text)) return text;
  const bytes = parseIpv6(text);
  return bytes === undefined ? text : formatIpv6(bytes);
}

/** An address from 16 raw bytes in the one spelling: IPv4-mapped as dotted IPv4. */
export function formatIpv6(bytes: Uint8Array): string {
  return isV4Mapped(bytes) ? formatIpv4(bytes.subarray(12, 16)) : formatRfc5952(bytes);
}

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let index = 0; index < 10; index++) if (bytes[index] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

export function parseIpv6(text: string): Uint8Array | undefined {
  // An embedded dotted IPv4 tail ("::ffff:1.2.3.4") is rewritten as its two hex groups.
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  let spelled = text;
  if (isIPv4(tail)) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split(".").map(Number);
    spelled = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", rest] = spelled.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const restGroups = rest === undefined || rest === "" ? [] : rest.split(":");
  const missing = 8 - headGroups.length - restGroups.length;
  if (missing < 0 || (rest === undefined && missing !== 0)) return undefined;
  const groups = [
    ...headGroups.map((group) => Number.parseInt(group, 16)),
    ...new Array<number>(rest === undefined ? 0 : missing).fill(0),
    ...restGroups.map((group) => Number.parseInt(group, 16)),
  ];
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    bytes[index * 2] = (group >> 8) & 0xff;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** Loopback in either family: the peer is on this host for sure. */
export function isLoopback(ip: string): boolean {
  return ip.startsWith("127.") || ip === "::1";
}
