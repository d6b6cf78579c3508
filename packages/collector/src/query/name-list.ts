// Comma-separated name lists in query strings (`hide=a,b`), bounded so one
// request cannot ship an unbounded IN-list to storage.
import { badRequest } from "../http/api-error.js";

export const MAX_LIST_NAMES = 200;
export const MAX_NAME_LENGTH = 512;

export function parseNameList(parameter: string, raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const names = raw
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (names.length > MAX_LIST_NAMES) throw badRequest(`${parameter} lists at most ${MAX_LIST_NAMES} names`);
  if (names.some((name) => name.length > MAX_NAME_LENGTH)) {
    throw badRequest(`${parameter} names are at most ${MAX_NAME_LENGTH} characters`);
  }
  return names;
}
