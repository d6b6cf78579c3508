import { describe, expect, it } from "vitest";
import { compileAndRunC } from "./compile-c.js";

// bpf/protocols/http1.h is plain C: compile the kernel's check as-is and feed
// it the first bytes of streams.
const cases: Array<[string, boolean]> = [
  ["GET / HTTP/1.1\r\n", true],
  ["POST /api HTTP/1.1\r\n", true],
  ["PUT /x HTTP/1.1\r\n", true],
  ["HEAD / HTTP/1.0\r\n", true],
  ["DELETE /x HTTP/1.1\r\n", true],
  ["PATCH /x HTTP/1.1\r\n", true],
  ["OPTIONS * HTTP/1.1\r\n", true],
  ["HTTP/1.1 200 OK\r\n", true],
  ["HTTP/1.0 404 Not Found\r\n", true],
  ["GET", false], // shorter than any method with its space
  ["GETX / HTTP/1.1", false],
  ["HTTP/2.0 200", false],
  ["hello", false],
  ["PRI * HTTP/2.0\r\n", false], // the HTTP/2 preface is not HTTP/1
  ["\x16\x03\x01\x02\x00", false], // TLS ClientHello
  ["get / HTTP/1.1", false], // methods are case-sensitive (RFC 9110 section 9.1)
];

function cString(text: string): string {
  return `"${[...Buffer.from(text, "latin1")].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("")}"`;
}

describe("in-kernel HTTP/1 inference (bpf/protocols/http1.h)", () => {
  const calls = cases
    .map(([text]) => `\tcheck(${cString(text)}, ${Buffer.byteLength(text, "latin1")});`)
    .join("\n");
  const output = compileAndRunC(`#include <stdio.h>
#include <string.h>
#include <sys/cdefs.h> /* glibc defines __always_inline, as vmlinux.h builds get from bpf_helpers.h */
#include "protocols/http1.h"

static void check(const char *text, unsigned int len)
{
	unsigned char peek[PERISCOPE_HTTP1_PEEK] = {0};
	unsigned int n = len < PERISCOPE_HTTP1_PEEK ? len : PERISCOPE_HTTP1_PEEK;

	memcpy(peek, text, n);
	printf("%d\\n", http1_looks_like_start(peek, n));
}

int main(void)
{
${calls}
	return 0;
}
`)
    .trim()
    .split("\n");

  it.each(cases.map(([text, expected], i) => [JSON.stringify(text), expected, i] as const))(
    "%s -> %s",
    (_label, expected, index) => {
      expect(output[index]).toBe(expected ? "1" : "0");
    },
  );
});
