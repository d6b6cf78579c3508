// Inferred parents for thread-per-request servers (issue #12 item 4).
//
// A server that gives each incoming request a thread of its own (Java's and
// Python's threaded servers, PHP, Ruby's Puma) reads the request, makes its
// outgoing calls and writes the response on that one thread. The kernel's data
// events carry the thread that made each syscall, so an outgoing call whose
// request was written by a thread while that thread served an incoming request
// belongs to that request — even when nothing propagated trace context.
//
// It holds only while a thread serves one request at a time and does nothing
// else meanwhile, so inference is refused where that is not seen:
// - a process's main thread is never inferred for: event loops run there
//   (Node, asyncio, nginx), and a timer's or a pool's call made while a request
//   is open cannot be told from the request's own, even when requests do not
//   overlap. Process-per-request servers (PHP-FPM, prefork) serve on the main
//   thread too and are left out with them;
// - a thread that reads a second server connection's request while one is
//   open is multiplexed (an event loop on a worker thread: Netty, Vert.x):
//   never again inferred for, and what it held goes out without a parent;
// - a request whose response another thread wrote (Go's scheduler moves
//   goroutines between threads) gives its held calls no parent.
// A call that carries its own trace context keeps it: exact beats inferred.
//
// Calls wait here until their parent's record is complete (its trace context,
// if any, is known only then), at most holdTimeoutNs and maxHeldPerRequest of
// them; what times out or does not fit goes out unchanged and is counted.
import { randomBytes } from "node:crypto";
import { PARENT_INFERRED_ATTRIBUTE } from "@periscope/proto";
import { Direction, Role } from "../capture/events.js";
import type { RequestRecord } from "../records/request-record.js";

export interface ThreadParentsOptions {
  /** Threads with an open incoming request at most (and multiplexed threads remembered). */
  maxThreads: number;
  /** Calls held for one incoming request at most. */
  maxHeldPerRequest: number;
  /** A call is released without a parent when its parent's record has not come by then. */
  holdTimeoutNs: bigint;
}

export const DEFAULT_THREAD_PARENTS_OPTIONS: ThreadParentsOptions = {
  maxThreads: 4096,
  maxHeldPerRequest: 64,
  holdTimeoutNs: 30_000_000_000n,
};

export interface ThreadParentsCounters {
  /** Calls given an incoming request as their parent. */
  inferred: number;
  /** Threads seen serving two requests at once (never inferred for after). */
  multiplexedThreads: number;
  /** Calls released without a parent: timed out, over a bound, or their request answered by another thread. */
  released: number;
}

/** The connection a record or event belongs to, as the tracker knows it. */
export interface ThreadConnection {
  readonly key: string;
  readonly pid: number;
  readonly role: Role;
}

interface OpenRequest {
  threadKey: string;
  tid: number;
  connectionKey: string;
  openedNs: bigint;
  /** Another thread wrote to the connection while the request was open. */
  foreignWriter: boolean;
  held: RequestRecord[];
}

/** The most recent request writes remembered per client connection. */
const WRITES_KEPT = 8;

export class ThreadParents {
  readonly counters: ThreadParentsCounters = { inferred: 0, multiplexedThreads: 0, released: 0 };
  /** Open incoming requests by thread ("pid:tid") and by server connection key. */
  private readonly byThread = new Map<string, OpenRequest>();
  private readonly byConnection = new Map<string, OpenRequest>();
  private readonly multiplexed = new Set<string>();
  /** Per client connection: (time, thread) of its latest writes, to find who wrote a call's first byte. */
  private readonly writes = new Map<string, { timestampNs: bigint; tid: number }[]>();

  constructor(
    private readonly release: (record: RequestRecord) => void,
    private readonly options: ThreadParentsOptions = DEFAULT_THREAD_PARENTS_OPTIONS,
  ) {}

  /** One data event of a connection being parsed: which thread read or wrote it, when. */
  observe(connection: ThreadConnection, direction: Direction, tid: number, timestampNs: bigint): void {
    if (connection.role === Role.Server) {
      if (direction === Direction.Ingress) this.serverRead(connection, tid, timestampNs);
      else {
        const open = this.byConnection.get(connection.key);
        if (open !== undefined && open.tid !== tid) open.foreignWriter = true;
      }
    } else if (connection.role === Role.Client && direction === Direction.Egress) {
      let writes = this.writes.get(connection.key);
      if (writes === undefined) {
        if (this.writes.size >= this.options.maxThreads) return;
        writes = [];
        this.writes.set(connection.key, writes);
      }
      if (writes.length >= WRITES_KEPT) writes.shift();
      writes.push({ timestampNs, tid });
    }
  }

  /** A finished record: passed on now, or held until the request its thread was serving is complete. */
  record(connection: ThreadConnection, record: RequestRecord): void {
    if (record.side === "server" && connection.role === Role.Server) {
      const open = this.byConnection.get(connection.key);
      if (open === undefined) this.release(record);
      else this.close(open, record);
      return;
    }
    const parent =
      record.side === "client" && record.traceId === "" ? this.servingWhen(connection, record) : undefined;
    if (parent === undefined) {
      this.release(record);
    } else if (parent.held.length >= this.options.maxHeldPerRequest) {
      this.counters.released += 1;
      this.release(record);
    } else {
      parent.held.push(record);
    }
  }

  /** Releases, without a parent, what waited longer than holdTimeoutNs. */
  sweep(nowNs: bigint): void {
    for (const open of [...this.byThread.values()]) {
      if (nowNs - open.openedNs > this.options.holdTimeoutNs) this.forget(open);
    }
  }

  /** The connection is gone: its writes are forgotten, and an incoming request open on it gives up its calls. */
  forgetConnection(key: string): void {
    this.writes.delete(key);
    const open = this.byConnection.get(key);
    if (open !== undefined) this.forget(open);
  }

  private serverRead(connection: ThreadConnection, tid: number, timestampNs: bigint): void {
    if (tid === connection.pid) return;
    const threadKey = `${connection.pid}:${tid}`;
    if (this.multiplexed.has(threadKey)) return;
    const open = this.byThread.get(threadKey);
    if (open !== undefined) {
      // More of the same request (a body in several reads), or the next one on a keep-alive connection.
      if (open.connectionKey === connection.key) return;
      this.markMultiplexed(open);
      return;
    }
    if (this.byThread.size >= this.options.maxThreads) return;
    const previous = this.byConnection.get(connection.key);
    if (previous !== undefined) this.forget(previous);
    const request: OpenRequest = {
      threadKey,
      tid,
      connectionKey: connection.key,
      openedNs: timestampNs,
      foreignWriter: false,
      held: [],
    };
    this.byThread.set(threadKey, request);
    this.byConnection.set(connection.key, request);
  }

  /** The incoming request the thread that wrote this call's first byte was serving then, if any. */
  private servingWhen(connection: ThreadConnection, record: RequestRecord): OpenRequest | undefined {
    const writer = this.writes.get(connection.key)?.find((w) => w.timestampNs === record.startMonotonicNs);
    if (writer === undefined) return undefined;
    const open = this.byThread.get(`${connection.pid}:${writer.tid}`);
    return open !== undefined && open.openedNs <= record.startMonotonicNs ? open : undefined;
  }

  private markMultiplexed(open: OpenRequest): void {
    this.forget(open);
    if (this.multiplexed.size >= this.options.maxThreads) {
      const oldest = this.multiplexed.values().next().value;
      if (oldest !== undefined) this.multiplexed.delete(oldest);
    }
    this.multiplexed.add(open.threadKey);
    this.counters.multiplexedThreads += 1;
  }

  /**
   * The incoming request is complete: its held calls become its children, in
   * its trace. It is passed on first, with any trace id it was given: what
   * comes after (the record budget) keeps or drops a trace's records together.
   */
  private close(open: OpenRequest, request: RequestRecord): void {
    this.byThread.delete(open.threadKey);
    this.byConnection.delete(open.connectionKey);
    if (open.held.length === 0 || open.foreignWriter) {
      this.release(request);
      this.counters.released += open.held.length;
      for (const call of open.held) this.release(call);
      return;
    }
    // An incoming request without trace context starts a trace of its own.
    if (request.traceId === "") {
      request.traceId = randomBytes(16).toString("hex");
      request.spanId = randomBytes(8).toString("hex");
    }
    this.release(request);
    for (const call of open.held) {
      call.traceId = request.traceId;
      call.parentSpanId = request.spanId;
      call.spanId = randomBytes(8).toString("hex");
      call.attributes[PARENT_INFERRED_ATTRIBUTE] = "thread";
      this.counters.inferred += 1;
      this.release(call);
    }
  }

  private forget(open: OpenRequest): void {
    this.byThread.delete(open.threadKey);
    this.byConnection.delete(open.connectionKey);
    this.counters.released += open.held.length;
    for (const call of open.held) this.release(call);
  }
}
