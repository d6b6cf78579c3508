import type { ReactNode } from "react";
import type { Resource } from "./useApiResource";

interface PanelProps<T> {
  title: string;
  /** id for aria-labelledby and in-page links. */
  id: string;
  resource: Resource<T>;
  /** True when the data has nothing to show: the panel says `emptyText` instead. */
  isEmpty?: (data: T) => boolean;
  emptyText: string;
  actions?: ReactNode;
  children: (data: T) => ReactNode;
}

/** A titled section with the three states every panel has: loading, error, empty. */
export function Panel<T>({ title, id, resource, isEmpty, emptyText, actions, children }: PanelProps<T>) {
  return (
    <section className="svc-panel" aria-labelledby={`${id}-title`} data-testid={id}>
      <header className="svc-panel__head">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions}
      </header>
      {resource.status === "loading" && (
        <p className="svc-panel__state" role="status" data-state="loading">
          Loading…
        </p>
      )}
      {resource.status === "error" && (
        <p className="svc-panel__state svc-panel__state--error" role="alert" data-state="error">
          Could not load: {resource.message}
        </p>
      )}
      {resource.status === "ready" && (
        <>
          {resource.error && (
            <p className="svc-panel__stale" role="status">
              Showing the last good data; the latest update failed: {resource.error}
            </p>
          )}
          {isEmpty?.(resource.data) ? (
            <p className="svc-panel__state" data-state="empty">
              {emptyText}
            </p>
          ) : (
            children(resource.data)
          )}
        </>
      )}
    </section>
  );
}
