"use client";

// The request list as a table that renders only the rows in view (requests/
// virtualWindow.ts) and asks for the next API page as the end comes near.
import { useEffect, useRef, useState } from "react";
import { formatEndpoint } from "../../format/formatEndpoint";
import { formatLatency } from "../../format/formatLatency";
import { formatTime } from "../../format/formatTime";
import type { RequestView } from "../../requests/requestTypes";
import { needsNextPage, virtualWindow } from "../../requests/virtualWindow";
import { statusText, statusTone } from "../RequestTable/statusTone";

export const ROW_HEIGHT = 34;
const VIEWPORT_HEIGHT = 476;
const OVERSCAN = 8;
const PREFETCH_ROWS = 30;

export interface VirtualRequestListProps {
  rows: RequestView[];
  hasMore: boolean;
  loading: boolean;
  selectedId: string;
  /** The API query these rows answer; `stale` while a newer one loads. */
  rowsQuery: string | undefined;
  stale: boolean;
  onOpen(request: RequestView): void;
  onNeedMore(): void;
}

export function VirtualRequestList({
  rows,
  hasMore,
  loading,
  selectedId,
  rowsQuery,
  stale,
  onOpen,
  onNeedMore,
}: VirtualRequestListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const window = virtualWindow({
    rowCount: rows.length,
    rowHeight: ROW_HEIGHT,
    scrollTop,
    viewportHeight: VIEWPORT_HEIGHT,
    overscan: OVERSCAN,
  });
  const wantsMore = hasMore && !loading && needsNextPage(window, rows.length, PREFETCH_ROWS);
  useEffect(() => {
    if (wantsMore) onNeedMore();
  }, [wantsMore, onNeedMore]);

  const visible = rows.slice(window.start, window.end);
  return (
    <div
      ref={scroller}
      className="request-list__scroll"
      style={{ maxHeight: VIEWPORT_HEIGHT }}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      data-testid="request-list-scroll"
      data-rows-loaded={rows.length}
      data-query={rowsQuery}
      aria-busy={stale}
    >
      <table
        className={stale ? "request-list is-stale" : "request-list"}
        data-testid="request-list"
        aria-rowcount={rows.length + 1}
      >
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Client</th>
            <th scope="col">Server</th>
            <th scope="col">Protocol</th>
            <th scope="col">Operation</th>
            <th scope="col">Target</th>
            <th scope="col" className="numeric">
              Status
            </th>
            <th scope="col" className="numeric">
              Duration
            </th>
          </tr>
        </thead>
        <tbody>
          {window.padTop > 0 ? (
            <tr className="request-list__spacer" style={{ height: window.padTop }} />
          ) : null}
          {visible.map((request, i) => (
            <Row
              key={request.id}
              request={request}
              rowIndex={window.start + i + 2}
              selected={request.id === selectedId}
              onOpen={onOpen}
            />
          ))}
          {window.padBottom > 0 ? (
            <tr className="request-list__spacer" style={{ height: window.padBottom }} />
          ) : null}
        </tbody>
      </table>
      {hasMore || loading ? (
        <p className="request-list__more muted" aria-live="polite">
          {loading ? "Loading more…" : "Scroll for more"}
        </p>
      ) : rows.length > 0 ? (
        <p className="request-list__more muted">
          End of the list: {rows.length.toLocaleString("en")} records
        </p>
      ) : null}
    </div>
  );
}

function Row({
  request,
  rowIndex,
  selected,
  onOpen,
}: {
  request: RequestView;
  rowIndex: number;
  selected: boolean;
  onOpen(request: RequestView): void;
}) {
  const tone = statusTone(request);
  return (
    <tr
      data-testid="request-list-row"
      data-id={request.id}
      data-service={`${request.client.service}|${request.server.service}`}
      data-duration-ms={request.durationMs}
      data-time={request.time}
      aria-rowindex={rowIndex}
      aria-selected={selected}
      className={selected ? "is-selected" : undefined}
      style={{ height: ROW_HEIGHT }}
      onClick={() => onOpen(request)}
    >
      <td className="mono muted">{formatTime(request.time)}</td>
      <td className="ellipsis" title={formatEndpoint(request.client)}>
        {formatEndpoint(request.client)}
      </td>
      <td className="ellipsis" title={formatEndpoint(request.server)}>
        {formatEndpoint(request.server)}
      </td>
      <td>{request.protocol}</td>
      <td>{request.operation || "—"}</td>
      <td className="mono ellipsis" title={request.target}>
        {/* The row's one focusable control, so keyboard users can open the detail too. */}
        <button
          type="button"
          className="request-list__open"
          onClick={(e) => {
            e.stopPropagation();
            onOpen(request);
          }}
        >
          {request.target || "(no target)"}
        </button>
      </td>
      <td className="numeric">
        <span className={`status status--${tone}`} data-testid="request-row-status">
          {statusText(request)}
        </span>
      </td>
      <td className="numeric mono">{formatLatency(request.durationMs)}</td>
    </tr>
  );
}
