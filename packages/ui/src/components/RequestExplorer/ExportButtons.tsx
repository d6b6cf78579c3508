"use client";

// Export of the loaded rows. The serializers are pure (requests/exportRequests.ts);
// this only hands their text to the browser as a download.
import { exportFileName, requestsToCsv, requestsToJson } from "../../requests/exportRequests";
import type { RequestView } from "../../requests/requestTypes";

export function ExportButtons({ rows, query }: { rows: RequestView[]; query: Record<string, string> }) {
  const download = (kind: "csv" | "json") => {
    const now = new Date();
    const text = kind === "csv" ? requestsToCsv(rows) : requestsToJson(rows, query, now);
    const blob = new Blob([text], { type: kind === "csv" ? "text/csv;charset=utf-8" : "application/json" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = exportFileName(kind, now);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div className="export-buttons">
      <button type="button" className="button" disabled={rows.length === 0} onClick={() => download("csv")}>
        Export CSV
      </button>
      <button type="button" className="button" disabled={rows.length === 0} onClick={() => download("json")}>
        Export JSON
      </button>
    </div>
  );
}
