// TEST ONLY. PERISCOPE_TEST_FAULT=<point>:<n> makes the collector SIGKILL
// itself the n-th time it reaches <point> of the ingest cycle, so a test can
// crash it exactly there (a kill from outside lands 70–140 ms late, issue #14).
// Unset — as in every deployment — every hook below is a no-op. Not a
// setting: it is deliberately left out of config.ts and the docs for operators.
//
//   call       an Export call arrived, before it is handled
//   insert     an INSERT into `requests` committed, before the batch's other
//              tables, its ingested_batches row and its answer
//   ack        an acknowledgement was handed to gRPC (it may or may not leave)
//   retry      a batch already stored (whole, or only its records; by this run
//              or, read back at start, a previous one) came again, before it
//              is handled
import type { RowSink } from "./insert-queue.js";

export const TEST_FAULT_POINTS = ["call", "insert", "ack", "retry"] as const;
export type TestFaultPoint = (typeof TEST_FAULT_POINTS)[number];

function parse(raw: string | undefined): { point: TestFaultPoint; at: number } | undefined {
  const match = /^(\w+):(\d+)$/.exec(raw ?? "");
  const point = TEST_FAULT_POINTS.find((candidate) => candidate === match?.[1]);
  return point === undefined ? undefined : { point, at: Number(match?.[2]) };
}

const fault = parse(process.env.PERISCOPE_TEST_FAULT);
let reached = 0;

/** Dies here if the test asked for this point and this is the n-th time. */
export function testFaultPoint(point: TestFaultPoint): void {
  if (fault?.point !== point || ++reached !== fault.at) return;
  process.kill(process.pid, "SIGKILL");
}

/** The sink itself unless a test asked for the `insert` point. */
export function withTestFault<Sink extends RowSink>(sink: Sink): Sink {
  if (fault?.point !== "insert") return sink;
  const committed = (table: string) => {
    if (table === "requests") testFaultPoint("insert");
  };
  return new Proxy(sink, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== "insertRows" && property !== "insertTsv") return value;
      return async (table: string, ...rest: unknown[]) => {
        await (value as (...args: unknown[]) => Promise<void>).call(target, table, ...rest);
        committed(table);
      };
    },
  });
}
