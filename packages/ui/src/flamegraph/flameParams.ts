// The flame view's own state in the URL, through the frame's codecs (only values
// that differ from the default are written). The frame owns range, from, to,
// namespace and service; these keys are the flame page's alone.
//   view=flame             orientation (default icicle: root at the top, so the
//                          widest frames are in view without scrolling, as in
//                          Pyroscope and Grafana; flame puts the root at the bottom)
//   q=isPrime | q=/^JS:/   search (substring, or a /regex/)
//   focus=main;handle      the zoomed frame as its path of names below the root
//                          (names survive a refresh; indices do not)
//   sandwich=JSON.parse    the function the sandwich view is about
//   diff=previous          compare with a baseline range (see baselineRange.ts)
//   baseFrom/baseTo        the baseline's instants when diff=custom
//   pid=4242               one process of the service
//   node=<agent id>        the samples one agent (node) took
//   split=pod|process      a chosen service's graph under one root frame per pod or process
import { enumParam, numberParam, type ParamSchema, stringParam } from "../frame/viewParams";
import type { Orientation } from "./layout";

export const DIFF_BASELINES = ["off", "previous", "day", "week", "custom"] as const;
/** What a chosen service's graph can be split by: the collector's synthetic root frames. */
export const SERVICE_SPLITS = ["off", "pod", "process"] as const;
export type ServiceSplit = (typeof SERVICE_SPLITS)[number];
export type DiffBaseline = (typeof DIFF_BASELINES)[number];

export interface FlameParams {
  view: Orientation;
  q: string;
  focus: string;
  sandwich: string;
  diff: DiffBaseline;
  baseFrom: string;
  baseTo: string;
  pid: number;
  node: string;
  split: ServiceSplit;
}

export const FLAME_DEFAULTS: FlameParams = {
  view: "icicle",
  q: "",
  focus: "",
  sandwich: "",
  diff: "off",
  baseFrom: "",
  baseTo: "",
  pid: 0,
  node: "",
  split: "off",
};

export const FLAME_SCHEMA: ParamSchema<FlameParams> = {
  view: enumParam(["flame", "icicle"] as const),
  q: stringParam(256),
  focus: stringParam(4096),
  sandwich: stringParam(1024),
  diff: enumParam(DIFF_BASELINES),
  baseFrom: stringParam(40),
  baseTo: stringParam(40),
  // The collector's bounds for pid (flamegraph/schema.ts); 0 means "every process".
  pid: numberParam(0, 4_294_967_295),
  node: stringParam(512),
  split: enumParam(SERVICE_SPLITS),
};

/** A focus path is folded-stack style, names joined by ";" (flamegraph.pl's format). */
export function focusToPath(focus: string): string[] {
  return focus === "" ? [] : focus.split(";");
}

export function pathToFocus(path: readonly string[]): string {
  return path.join(";");
}
