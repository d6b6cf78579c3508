// Cytoscape element descriptors as the service map uses them. Data fields are flat
// primitives so that two descriptors can be compared field by field.

import type { Health } from "./health";

export type NodeData = {
  id: string;
  label: string;
  kind: "service" | "external";
  requestCount: number;
  errorCount: number;
  health: Health;
  color: string;
};

export type EdgeData = {
  id: string;
  source: string;
  target: string;
  label: string;
  protocols: string;
  requestCount: number;
  errorCount: number;
  p50Ms: number;
  p99Ms: number;
  health: Health;
  color: string;
};

export type NodeElement = { group: "nodes"; data: NodeData };
export type EdgeElement = { group: "edges"; data: EdgeData };
export type GraphElement = NodeElement | EdgeElement;
