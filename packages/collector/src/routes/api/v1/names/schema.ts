import { errorResponses, timeRangeQueryProperties } from "../../../../http/shared-schemas.js";
import { MAX_NAME_LENGTH } from "../../../../query/name-list.js";
import { PICKER_KINDS, type PickerKind } from "../../../../query/picker-names-query.js";

export interface NamesQuery {
  kind: PickerKind;
  prefix?: string;
  service?: string;
  limit: number;
  from?: string;
  to?: string;
}

export const namesSchema = {
  summary:
    "Names for pickers (services, operations, namespaces, protocols) seen in a range, most requested first",
  tags: ["services"],
  querystring: {
    type: "object",
    required: ["kind"],
    properties: {
      kind: { type: "string", enum: [...PICKER_KINDS] },
      prefix: {
        type: "string",
        maxLength: MAX_NAME_LENGTH,
        description: "only names starting with this text (case-sensitive); empty lists all",
      },
      service: {
        type: "string",
        maxLength: MAX_NAME_LENGTH,
        description: "with kind=operation: only operations this service served",
      },
      limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
      ...timeRangeQueryProperties,
    },
  },
  response: {
    200: {
      type: "object",
      required: ["kind", "names"],
      properties: {
        kind: { type: "string" },
        names: {
          type: "array",
          items: {
            type: "object",
            required: ["name", "requests"],
            properties: {
              name: { type: "string" },
              requests: {
                type: "integer",
                description:
                  "requests naming it: whole days for services, operations and namespaces (an estimate: the " +
                  "sampling weights of the request records naming it); the range for protocols (exact, from metrics)",
              },
            },
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;
