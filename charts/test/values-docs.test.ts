import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isMap, isScalar, type Pair, parseDocument, type YAMLMap } from "yaml";
import { chartDir } from "./helm.js";

// values.yaml is the chart's manual: every key carries a comment (a block map's
// own comment counts for its first key), and values.schema.json types every key.

const document = parseDocument(readFileSync(join(chartDir, "values.yaml"), "utf8"));
const schema = JSON.parse(readFileSync(join(chartDir, "values.schema.json"), "utf8"));

interface KeyInfo {
  path: string;
  commented: boolean;
}

function keysOf(map: YAMLMap, prefix: string, mapComment: boolean, found: KeyInfo[]): void {
  map.items.forEach((pair: Pair, index) => {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const path = prefix === "" ? key : `${prefix}.${key}`;
    const keyComment = isScalar(pair.key) ? pair.key.commentBefore : undefined;
    // The yaml parser hangs a comment above a map's first key on the map itself.
    const commented = Boolean(keyComment) || (index === 0 && mapComment);
    found.push({ path, commented });
    if (isMap(pair.value) && !pair.value.flow) {
      keysOf(pair.value, path, Boolean(pair.value.commentBefore), found);
    }
  });
}

const keys: KeyInfo[] = [];
keysOf(document.contents as YAMLMap, "", Boolean(document.commentBefore), keys);

/** The schema node for a dotted path, following properties and local $refs. */
function schemaAt(path: string): unknown {
  let node = schema;
  for (const part of path.split(".")) {
    while (node?.$ref) node = schema.definitions[node.$ref.replace("#/definitions/", "")];
    node = node?.properties?.[part];
    if (node === undefined) return undefined;
  }
  return node;
}

describe("values.yaml", () => {
  it("has keys to check", () => {
    expect(keys.length).toBeGreaterThan(60);
  });

  it("has a comment on every key", () => {
    // Keys inside a value (resources' requests, a nodeSelector's label) are that value,
    // which its own key's comment describes.
    const inValue = /\.(resources|nodeSelector|seccompProfile)\./;
    expect(keys.filter((key) => !key.commented && !inValue.test(key.path)).map((key) => key.path)).toEqual(
      [],
    );
  });

  it("has every key typed in values.schema.json", () => {
    const untyped = keys
      .map((key) => key.path)
      // Keys inside free-form maps (resources, nodeSelector) are typed by their parent.
      .filter((path) => !/\.(resources|nodeSelector|seccompProfile)\./.test(path))
      .filter((path) => schemaAt(path) === undefined);
    expect(untyped).toEqual([]);
  });
});
