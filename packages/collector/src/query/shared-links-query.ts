// Shared links: an incident's view frozen in time. Absolute times and the UI's
// whole view state are stored as given; the requests involved and the map of
// the range can be copied in (frozen_rows, one JSON request per line;
// frozen_map, one JSON map) so the link still shows them after retention has
// removed the originals.
import { randomBytes } from "node:crypto";
import type { Storage } from "../storage/storage.js";
import type { RequestView } from "./request-view.js";
import type { ServiceMap } from "./service-map-query.js";
import type { TimeRange } from "./time-range.js";

export interface NewSharedLink {
  title: string;
  notes: string;
  createdBy: string;
  range: TimeRange;
  viewState: unknown;
  frozenRequests?: RequestView[];
  frozenMap?: ServiceMap;
}

/** What the list of links shows: no view state, no frozen copies. */
export interface SharedLinkSummary {
  id: string;
  title: string;
  notes: string;
  createdAt: string;
  createdBy: string;
  from: string;
  to: string;
  frozen: boolean;
}

export interface SharedLink extends SharedLinkSummary {
  view: unknown;
  frozenRequests: RequestView[] | null;
  frozenMap: ServiceMap | null;
}

interface SharedLinkSummaryRow {
  id: string;
  created_at_ms: string;
  created_by: string;
  title: string;
  notes: string;
  from_ms: string;
  to_ms: string;
  frozen: number;
}

interface SharedLinkRow extends SharedLinkSummaryRow {
  view_state: string;
  frozen_rows: string;
  frozen_map: string;
}

/** 128 random bits: a link id cannot be guessed from another one. */
function newLinkId(): string {
  return randomBytes(16).toString("base64url");
}

// frozen_rows is '' for a link without a frozen copy, so "frozen, but no
// request matched" needs its own marker.
const FROZEN_EMPTY = "[]";

function frozenRowsText(requests: RequestView[] | undefined): string {
  if (requests === undefined) return "";
  if (requests.length === 0) return FROZEN_EMPTY;
  return requests.map((request) => JSON.stringify(request)).join("\n");
}

function parseFrozenRows(text: string): RequestView[] | null {
  if (text === "") return null;
  if (text === FROZEN_EMPTY) return [];
  return text.split("\n").map((line) => withContainerIds(JSON.parse(line) as RequestView));
}

// Requests frozen before ends carried a container id (migration 0032) have
// none; the response schema requires one, so they read as "outside containers".
function withContainerIds(request: RequestView): RequestView {
  return {
    ...request,
    client: { ...request.client, containerId: request.client.containerId ?? "" },
    server: { ...request.server, containerId: request.server.containerId ?? "" },
  };
}

export async function createSharedLink(storage: Storage, link: NewSharedLink): Promise<SharedLink> {
  const id = newLinkId();
  const createdAtMs = Date.now();
  await storage.insertRows("shared_links", [
    {
      id,
      // DateTime64(3) reads a decimal string as milliseconds since the epoch.
      created_at: String(createdAtMs),
      created_by: link.createdBy,
      title: link.title,
      notes: link.notes,
      range_from: String(link.range.fromMs),
      range_to: String(link.range.toMs),
      view_state: JSON.stringify(link.viewState),
      frozen_rows: frozenRowsText(link.frozenRequests),
      frozen_map: link.frozenMap === undefined ? "" : JSON.stringify(link.frozenMap),
    },
  ]);
  return {
    id,
    title: link.title,
    notes: link.notes,
    createdAt: new Date(createdAtMs).toISOString(),
    createdBy: link.createdBy,
    from: new Date(link.range.fromMs).toISOString(),
    to: new Date(link.range.toMs).toISOString(),
    view: link.viewState,
    frozen: link.frozenRequests !== undefined,
    frozenRequests: link.frozenRequests ?? null,
    frozenMap: link.frozenMap ?? null,
  };
}

const SUMMARY_COLUMNS = `
  id,
  toString(toUnixTimestamp64Milli(created_at)) AS created_at_ms,
  created_by, title, notes,
  toString(toUnixTimestamp64Milli(range_from)) AS from_ms,
  toString(toUnixTimestamp64Milli(range_to)) AS to_ms,
  frozen_rows != '' AS frozen`;

const LINK_SQL = `
SELECT ${SUMMARY_COLUMNS}, view_state, frozen_rows, frozen_map
FROM shared_links FINAL
WHERE id = {id:String}
LIMIT 1`;

const LIST_SQL = `
SELECT ${SUMMARY_COLUMNS}
FROM shared_links FINAL
ORDER BY created_at DESC, id
LIMIT {limit:UInt32}`;

function summaryOf(row: SharedLinkSummaryRow): SharedLinkSummary {
  return {
    id: row.id,
    title: row.title,
    notes: row.notes,
    createdAt: new Date(Number(row.created_at_ms)).toISOString(),
    createdBy: row.created_by,
    from: new Date(Number(row.from_ms)).toISOString(),
    to: new Date(Number(row.to_ms)).toISOString(),
    frozen: Number(row.frozen) === 1,
  };
}

export async function readSharedLink(storage: Storage, id: string): Promise<SharedLink | undefined> {
  const [row] = await storage.select<SharedLinkRow>(LINK_SQL, { id });
  if (row === undefined) return undefined;
  return {
    ...summaryOf(row),
    view: JSON.parse(row.view_state) as unknown,
    frozenRequests: parseFrozenRows(row.frozen_rows),
    frozenMap: row.frozen_map === "" ? null : (JSON.parse(row.frozen_map) as ServiceMap),
  };
}

/** The newest links first. */
export async function listSharedLinks(storage: Storage, limit: number): Promise<SharedLinkSummary[]> {
  const rows = await storage.select<SharedLinkSummaryRow>(LIST_SQL, { limit });
  return rows.map(summaryOf);
}
