import { asObject } from "../../api/jsonFields";

/** GET /api/v1/names → the names, most requested first. */
export function parseNames(body: unknown): string[] | undefined {
  const names = asObject(body)?.names;
  if (!Array.isArray(names)) return undefined;
  return names.flatMap((entry) => {
    const name = asObject(entry)?.name;
    return typeof name === "string" && name !== "" ? [name] : [];
  });
}
