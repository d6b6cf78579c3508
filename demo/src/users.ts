// demo-users: the leaf service. Unknown users get 404, which the map shows as a
// client error but not a failure.
import { portFromEnv, serveJson } from "./json-http.js";

const port = portFromEnv("DEMO_USERS_PORT", 3101);

serveJson("demo-users", port, async (url) => {
  const match = /^\/users\/(\d+)(\/credit)?$/.exec(url.pathname);
  if (!match) return { status: 404, body: { error: "no such route" } };
  const id = Number(match[1]);
  if (id > 1000) return { status: 404, body: { error: `user ${id} not found` } };
  if (match[2]) return { status: 200, body: { id, credit: (id * 37) % 500 } };
  return { status: 200, body: { id, name: `user-${id}` } };
});
