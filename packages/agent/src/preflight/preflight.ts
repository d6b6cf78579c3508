// The agent's start-up check: gathers this node's facts once and judges them.
// main.ts logs the one message and exits when capture is impossible;
// SocketTracer.open refuses with the same message when used on its own.
import { gatherNodeFacts, type NodeFactsSettings } from "./node-facts.js";
import { checkNode, type NodeFacts, type PreflightReport, preflightMessage } from "./requirements.js";

export interface Preflight {
  facts: NodeFacts;
  report: PreflightReport;
  /** Everything missing in one message ("" when nothing is). */
  message: string;
}

export function runPreflight(settings: NodeFactsSettings): Preflight {
  const facts = gatherNodeFacts(settings);
  const report = checkNode(facts);
  return { facts, report, message: preflightMessage(report, facts.kernelRelease) };
}

/** Throws an Error naming everything that makes capture impossible. */
export function assertCanCapture(settings: NodeFactsSettings): void {
  const { facts, report } = runPreflight(settings);
  if (report.fatal.length > 0)
    throw new Error(preflightMessage({ fatal: report.fatal, degraded: [] }, facts.kernelRelease));
}
