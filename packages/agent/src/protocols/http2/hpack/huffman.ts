import { HUFFMAN_CODES } from "./huffman-table.js";

const EOS = 256;

/**
 * The Huffman code as a binary trie in one array: node n's children are at
 * 2n and 2n+1 (bit 0, bit 1); a value >= LEAF is a leaf holding symbol
 * value - LEAF, and 0 is "no child" (the root, node 0, is never a child).
 */
const LEAF = 1 << 16;
const trie = buildTrie();

function buildTrie(): Int32Array {
  // A complete code of 257 symbols has 256 inner nodes.
  const nodes = new Int32Array(2 * 256);
  let nextNode = 1;
  HUFFMAN_CODES.forEach(([code, bits], symbol) => {
    let node = 0;
    for (let bit = bits - 1; bit >= 0; bit--) {
      const slot = 2 * node + ((code >>> bit) & 1);
      if (bit === 0) {
        nodes[slot] = LEAF + symbol;
      } else {
        if (nodes[slot] === 0) nodes[slot] = nextNode++;
        node = nodes[slot] ?? 0;
      }
    }
  });
  return nodes;
}

/**
 * Decodes an HPACK Huffman string (RFC 7541 §5.2), or undefined when it is
 * malformed: EOS inside the string, or padding that is longer than 7 bits or
 * not the most significant bits of EOS (all ones).
 */
export function huffmanDecode(bytes: Uint8Array): Buffer | undefined {
  // Shortest code is 5 bits: at most 8 symbols per 5 bytes.
  const out = Buffer.allocUnsafe(Math.ceil((bytes.length * 8) / 5));
  let length = 0;
  let node = 0;
  /** Bits read since the last symbol, and whether all of them were ones. */
  let pendingBits = 0;
  let pendingAllOnes = true;
  for (const byte of bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      const one = (byte >>> bit) & 1;
      const next = trie[2 * node + one] ?? 0;
      pendingBits++;
      pendingAllOnes &&= one === 1;
      if (next >= LEAF) {
        const symbol = next - LEAF;
        if (symbol === EOS) return undefined;
        out[length++] = symbol;
        node = 0;
        pendingBits = 0;
        pendingAllOnes = true;
      } else {
        node = next;
      }
    }
  }
  if (pendingBits > 7 || !pendingAllOnes) return undefined;
  return out.subarray(0, length);
}
