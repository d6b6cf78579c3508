// Shared links: an incident's view frozen in time. Absolute times and the UI's
// whole view state are stored as given; the requests involved can be copied
// in (frozen_rows, one JSON request per line) so the link still shows them
// after `requests` retention has removed the originals.
import { randomBytes } from "node:crypto";
import type { Storage } from "../storage/storage.js";
import type { RequestView } from "./request-view.js";
import type { TimeRange } from "./time-range.js";

export interface NewSharedLink {
  title: string;
  createdBy: string;
  range: TimeRange;
  viewState: unknown;
  frozenRequests?: RequestView[];
}

export interface SharedLink {
  id: string;
  title: string;
  createdAt: string;
  createdBy: string;
  from: string;
  to: string;
  view: unknown;
  frozen: boolean;
  frozenRequests: RequestView[] | null;
}

interface SharedLinkRow {
  id: string;
  created_at_ms: string;
  created_by: string;
  title: string;
  from_ms: string;
  to_ms: string;
  view_state: string;
  frozen_rows: string;
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
  return text.split("\n").map((line) => JSON.parse(line) as RequestView);
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
      range_from: String(link.range.fromMs),
      range_to: String(link.range.toMs),
      view_state: JSON.stringify(link.viewState),
      frozen_rows: frozenRowsText(link.frozenRequests),
    },
  ]);
  return {
    id,
    title: link.title,
    createdAt: new Date(createdAtMs).toISOString(),
    createdBy: link.createdBy,
    from: new Date(link.range.fromMs).toISOString(),
    to: new Date(link.range.toMs).toISOString(),
    view: link.viewState,
    frozen: link.frozenRequests !== undefined,
    frozenRequests: link.frozenRequests ?? null,
  };
}

const LINK_SQL = `
SELECT
  id,
  toString(toUnixTimestamp64Milli(created_at)) AS created_at_ms,
  created_by, title,
  toString(toUnixTimestamp64Milli(range_from)) AS from_ms,
  toString(toUnixTimestamp64Milli(range_to)) AS to_ms,
  view_state, frozen_rows
FROM shared_links FINAL
WHERE id = {id:String}
LIMIT 1`;

export async function readSharedLink(storage: Storage, id: string): Promise<SharedLink | undefined> {
  const [row] = await storage.select<SharedLinkRow>(LINK_SQL, { id });
  if (row === undefined) return undefined;
  const frozenRequests = parseFrozenRows(row.frozen_rows);
  return {
    id: row.id,
    title: row.title,
    createdAt: new Date(Number(row.created_at_ms)).toISOString(),
    createdBy: row.created_by,
    from: new Date(Number(row.from_ms)).toISOString(),
    to: new Date(Number(row.to_ms)).toISOString(),
    view: JSON.parse(row.view_state) as unknown,
    frozen: frozenRequests !== null,
    frozenRequests,
  };
}
