import { describe, expect, it } from "vitest";
import { StreamBuffer } from "./stream-buffer.js";

const bytes = (text: string) => Buffer.from(text, "latin1");

describe("StreamBuffer", () => {
  it("joins consecutive syscalls into one run and remembers which syscall carried each byte", () => {
    const stream = new StreamBuffer(1024);
    stream.watchFromStart();
    stream.append(0n, bytes("GET / HT"), 8, 100n);
    stream.append(8n, bytes("TP/1.1\r\n"), 8, 200n);
    expect(stream.headBytes().toString()).toBe("GET / HTTP/1.1\r\n");
    expect([stream.timestampAt(0), stream.timestampAt(7), stream.timestampAt(8)]).toEqual([100n, 100n, 200n]);
    stream.consume(10);
    expect(stream.headBytes().toString()).toBe("/1.1\r\n");
    expect(stream.timestampAt(0)).toBe(200n);
  });

  it("turns uncaptured bytes into a gap of the exact length, never splicing the runs around it", () => {
    const stream = new StreamBuffer(1024);
    stream.watchFromStart();
    stream.append(0n, bytes("abcd"), 10, 1n);
    stream.append(10n, bytes("xyz"), 3, 2n);
    expect(stream.headBytes().toString()).toBe("abcd");
    stream.consume(4);
    expect(stream.takeGap()).toMatchObject({ length: 6, lost: true });
    expect(stream.headBytes().toString()).toBe("xyz");
    expect(stream.counters.lostBytes).toBe(6);
  });

  it("marks a jump in offsets (a lost event) as a lost gap", () => {
    const stream = new StreamBuffer(1024);
    stream.watchFromStart();
    stream.append(5n, bytes("late"), 4, 1n);
    expect(stream.takeGap()).toMatchObject({ length: 5, lost: true });
  });

  it("treats bytes before the first one seen as history, not loss, when the start was not watched", () => {
    const stream = new StreamBuffer(1024);
    stream.append(1000n, bytes("mid-stream"), 10, 1n);
    expect(stream.takeGap()).toMatchObject({ length: 1000, lost: false });
    expect(stream.counters.lostBytes).toBe(0);
  });

  it("ignores repeated bytes and keeps only the new tail of an overlapping event", () => {
    const stream = new StreamBuffer(1024);
    stream.watchFromStart();
    stream.append(0n, bytes("hello"), 5, 1n);
    stream.append(0n, bytes("hello"), 5, 2n);
    stream.append(3n, bytes("lo world"), 8, 3n);
    expect(stream.headBytes().toString()).toBe("hello world");
    expect(stream.counters.staleBytes).toBe(5 + 2);
  });

  it("copies captured bytes, since the kernel batch buffer is reused", () => {
    const stream = new StreamBuffer(1024);
    const batch = bytes("original");
    stream.append(0n, batch, batch.length, 1n);
    batch.write("XXXXXXXX");
    expect(stream.headBytes().toString()).toBe("original");
  });

  it("drops the oldest bytes past the cap, as a gap, and counts them", () => {
    const stream = new StreamBuffer(8);
    stream.watchFromStart();
    stream.append(0n, bytes("0123456789"), 10, 1n);
    expect(stream.buffered).toBe(8);
    expect(stream.counters.overflowBytes).toBe(2);
    expect(stream.takeGap()).toMatchObject({ length: 2 });
    expect(stream.headBytes().toString()).toBe("23456789");
  });

  it("folds head bytes cut short by a gap into the gap, counting them lost, and only then", () => {
    const stream = new StreamBuffer(1024);
    stream.watchFromStart();
    stream.append(0n, bytes("*1"), 10, 1n);
    stream.append(10n, bytes("next"), 4, 2n);
    expect(stream.foldHeadIntoGap()).toBe(true);
    expect(stream.takeGap()).toMatchObject({ length: 10, lost: true });
    expect(stream.counters.lostBytes).toBe(10);
    expect(stream.buffered).toBe(4);
    // "next" is followed by nothing yet: more bytes may complete it.
    expect(stream.foldHeadIntoGap()).toBe(false);
    expect(stream.headBytes().toString()).toBe("next");
  });
});
