import type { FastifyPluginAsync } from "fastify";
import { notFound } from "../../../../http/api-error.js";
import { queryRequests } from "../../../../query/requests-query.js";
import { queryServiceMap } from "../../../../query/service-map-query.js";
import { createSharedLink, listSharedLinks, readSharedLink } from "../../../../query/shared-links-query.js";
import type { RouteDependencies } from "../../../route-dependencies.js";
import { toRequestsFilter } from "../requests/filter-params.js";
import {
  type CreateLinkBody,
  createLinkSchema,
  type LinkParams,
  type ListLinksQuery,
  listLinksSchema,
  readLinkSchema,
} from "./schema.js";
import { checkViewState, MAX_VIEW_STATE_BYTES } from "./view-state.js";

export const linksRoutes: FastifyPluginAsync<RouteDependencies> = async (app, { storage }) => {
  app.post<{ Body: CreateLinkBody }>(
    "/",
    {
      schema: createLinkSchema,
      config: { minimumRole: "editor" },
      // View state plus title and filters; anything bigger is refused before parsing.
      bodyLimit: MAX_VIEW_STATE_BYTES * 2,
    },
    async (request, reply) => {
      const { title = "", notes = "", from, to, view, freeze } = request.body;
      checkViewState(view);
      // Absolute times only: parseTimeRange's defaults ("now") never apply, from and to are required.
      const filter = toRequestsFilter({
        observations: "one",
        limit: 1000,
        ...freeze,
        from: String(from),
        to: String(to),
      });
      // Frozen: the requests the search finds and the map of the same range
      // and scope, both copied so retention cannot take them from the link.
      const [frozenRequests, frozenMap] =
        freeze === undefined
          ? [undefined, undefined]
          : await Promise.all([
              queryRequests(storage, filter).then((found) => found.requests),
              queryServiceMap(storage, {
                range: filter.range,
                protocol: freeze.protocol || undefined,
                namespace: freeze.namespace || undefined,
                workload: freeze.workload || undefined,
              }),
            ]);
      const link = await createSharedLink(storage, {
        title,
        notes,
        createdBy: request.principal?.name ?? "anonymous",
        range: filter.range,
        viewState: view,
        frozenRequests,
        frozenMap,
      });
      return reply.status(201).send(link);
    },
  );

  app.get<{ Querystring: ListLinksQuery }>("/", { schema: listLinksSchema }, async (request) => ({
    links: await listSharedLinks(storage, request.query.limit),
  }));

  app.get<{ Params: LinkParams }>("/:id", { schema: readLinkSchema }, async (request) => {
    const link = await readSharedLink(storage, request.params.id);
    if (link === undefined) throw notFound(`no shared link ${request.params.id}`);
    return link;
  });
};
