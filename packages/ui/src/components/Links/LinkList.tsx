"use client";

import { parseLinkList } from "../../links/parseLinks";
import "./Links.css";
import { useApiResource } from "./useApiResource";

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "—" : date.toLocaleString();
}

/** Every shared link, newest first. */
export function LinkList() {
  const links = useApiResource("/api/v1/links?limit=200", parseLinkList);
  if (links.state === "loading") return <p className="links__muted">Loading links…</p>;
  if (links.state === "error") {
    return (
      <p className="links__error" role="alert">
        Could not load links: {links.message}
      </p>
    );
  }
  if (links.value.length === 0) {
    return (
      <p className="links__muted">No shared links yet. Use Share on any page to capture what you see.</p>
    );
  }
  return (
    <table className="links__table" data-testid="link-list">
      <thead>
        <tr>
          <th scope="col">Title</th>
          <th scope="col">Shared by</th>
          <th scope="col">Created</th>
          <th scope="col">Range</th>
          <th scope="col">Data</th>
        </tr>
      </thead>
      <tbody>
        {links.value.map((link) => (
          <tr key={link.id} data-testid="link-row">
            <td>
              <a href={`/links/${link.id}`}>{link.title || "(untitled)"}</a>
            </td>
            <td>{link.createdBy}</td>
            <td>{when(link.createdAt)}</td>
            <td>
              {when(link.from)} – {when(link.to)}
            </td>
            <td>{link.frozen ? <span className="links__badge">frozen</span> : "live"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
