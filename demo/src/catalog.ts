// shop/catalog: product pages, read through a Redis cache in front of PostgreSQL.
import { HttpError, serveJson } from "./platform/http-json.js";
import { connectDatabase, ensureSchema } from "./platform/postgres.js";
import { connectRedis } from "./platform/redis.js";
import { startService } from "./platform/service-runtime.js";
import { PRODUCT_COUNT, priceCentsOf } from "./topology.js";

// Short enough that the map shows a steady trickle of PostgreSQL reads behind the cache.
const CACHE_SECONDS = 20;

const runtime = startService("catalog");
const db = connectDatabase(runtime);
const redis = connectRedis(runtime);

const ids = Array.from({ length: PRODUCT_COUNT }, (_, index) => index + 1);
await ensureSchema(db, [
  [
    `CREATE TABLE IF NOT EXISTS demo_products (
       id integer PRIMARY KEY, name text NOT NULL, price_cents integer NOT NULL)`,
  ],
  [
    `INSERT INTO demo_products (id, name, price_cents)
       SELECT * FROM unnest($1::integer[], $2::text[], $3::integer[]) ON CONFLICT (id) DO NOTHING`,
    [ids, ids.map((id) => `product-${id}`), ids.map(priceCentsOf)],
  ],
]);

serveJson(runtime, async ({ method, url }) => {
  const match = /^\/products\/(\d+)$/.exec(url.pathname);
  if (method !== "GET" || !match) return undefined;
  const id = Number(match[1]);
  const key = `demo:product:${id}`;
  const cached = await redis.get(key);
  if (cached !== null) return { status: 200, body: JSON.parse(cached) };
  const rows = await db.query<{ id: number; name: string; price_cents: number }>(
    "SELECT id, name, price_cents FROM demo_products WHERE id = $1",
    [id],
  );
  const product = rows[0];
  if (product === undefined) throw new HttpError(404, `no product ${id}`);
  await redis.set(key, JSON.stringify(product), "EX", CACHE_SECONDS);
  return { status: 200, body: product };
});
