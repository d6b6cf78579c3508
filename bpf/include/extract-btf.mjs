#!/usr/bin/env node
// Copies the kernel's .BTF blob out of a kernel image (arm64 `Image`, or any
// uncompressed image) so that bpftool can dump it: distribution kernels ship
// BTF only inside the image, loaded at /sys/kernel/btf/vmlinux at run time.
//
//   node extract-btf.mjs <image> <out.btf>
//
// The blob starts with struct btf_header (include/uapi/linux/btf.h):
// u16 magic 0xeB9F, u8 version 1, u8 flags, u32 hdr_len (24), then
// u32 type_off, type_len, str_off, str_len, offsets from the header's end.
// Type and string sections are contiguous (type_off 0, str_off = type_len),
// which is how the kernel's link step (pahole) lays them out; a candidate
// whose lengths do not fit that shape is skipped as a stray byte match.
import { readFileSync, writeFileSync } from "node:fs";

const [image, out] = process.argv.slice(2);
if (!image || !out) {
  console.error("usage: extract-btf.mjs <kernel image> <out.btf>");
  process.exit(2);
}
const data = readFileSync(image);
const magic = Buffer.from([0x9f, 0xeb, 0x01]); // 0xeB9F little-endian, version 1
let best;
for (let at = data.indexOf(magic); at >= 0; at = data.indexOf(magic, at + 1)) {
  if (at + 24 > data.length) break;
  const hdrLen = data.readUInt32LE(at + 4);
  const typeOff = data.readUInt32LE(at + 8);
  const typeLen = data.readUInt32LE(at + 12);
  const strOff = data.readUInt32LE(at + 16);
  const strLen = data.readUInt32LE(at + 20);
  if (hdrLen !== 24 || typeOff !== 0 || strOff !== typeLen || typeLen === 0 || strLen === 0) continue;
  const size = hdrLen + strOff + strLen;
  if (at + size > data.length) continue;
  // The string section starts with the empty string (a NUL) and ends with one.
  if (data[at + hdrLen + strOff] !== 0 || data[at + size - 1] !== 0) continue;
  if (!best || size > best.size) best = { at, size };
}
if (!best) {
  console.error(`extract-btf: no BTF blob in ${image} (kernel built without CONFIG_DEBUG_INFO_BTF?)`);
  process.exit(1);
}
writeFileSync(out, data.subarray(best.at, best.at + best.size));
console.log(`extract-btf: ${best.size} bytes of BTF at offset ${best.at} of ${image}`);
