// Writes src/api/generated.ts from the collector's OpenAPI document (see renderApiTypes.ts).
import { writeFile } from "node:fs/promises";
import { GENERATED_PATH, renderApiTypes } from "./renderApiTypes";

const text = await renderApiTypes();
await writeFile(GENERATED_PATH, text);
console.log(`wrote ${GENERATED_PATH} (${text.length} characters)`);
