// Who a map node is, as SQL over `requests` / `metric_series` columns. The
// same expressions feed the roll-up views (storage/migrations render them in)
// and the `requests` name columns the search filters on (migration 0026), so a
// name means the same thing everywhere. Changing them changes only rows stored
// afterwards.
//
// Most specific first:
//   1. the service resolved for the end (Kubernetes Service at ingest, or a host's program);
//   2. the Kubernetes workload, when metadata named one but no service;
//   3. a local process: its name — for a server with ":port", since two
//      servers of one program are told apart by what they listen on (a
//      client's port is ephemeral and says nothing);
//   4. the name the agent gave an end it could not tie to a process
//      (`*_host`): the DNS name the client asked for (HTTP Host) or that the
//      agent saw resolve to the address, else the address's group
//      ("203.0.113.0/24"), the address itself for an internal peer, or
//      "{overflow}" past the agent's peer cap (agent metadata/peer-names.ts);
//   5. an address no agent named (agents from before peer naming): kept as
//      "ip" / "ip:port" inside private, loopback and link-local ranges,
//      else grouped per /24 (IPv4) or /48 (IPv6), so internet-facing
//      traffic cannot make one node per client address.

import { EXTERNAL_IPV4_PREFIX, EXTERNAL_IPV6_PREFIX, INTERNAL_ADDRESS_BLOCKS } from "@periscope/proto";

// Rule 5's internal blocks and group sizes are the agent's defaults (packages/proto peer-grouping.ts).

const RANGES_SQL = `[${INTERNAL_ADDRESS_BLOCKS.map((range) => `'${range}'`).join(", ")}]`;

/** Rule 5: an address as a name, grouped unless internal; `port` appended for servers. */
function addressNameSql(ip: string, port?: string): string {
  // isIPAddressInRange throws on text that is no address, and a lambda's
  // argument is computed for every row whatever branch the row takes.
  const address = `if(isIPv4String(${ip}) OR isIPv6String(${ip}), ${ip}, '0.0.0.0')`;
  const internal = `arrayExists(range -> isIPAddressInRange(${address}, range), ${RANGES_SQL})`;
  const own =
    port === undefined
      ? ip
      : `concat(if(position(${ip}, ':') > 0, concat('[', ${ip}, ']'), ${ip}), ':', toString(${port}))`;
  // OrDefault: multiIf evaluates a branch only for its rows, but a parse that
  // cannot throw keeps that from mattering.
  const v4Group = `concat(toString(tupleElement(IPv4CIDRToRange(toIPv4OrDefault(${ip}), ${EXTERNAL_IPV4_PREFIX}), 1)), '/${EXTERNAL_IPV4_PREFIX}')`;
  const v6Group = `concat(toString(tupleElement(IPv6CIDRToRange(toIPv6OrDefault(${ip}), ${EXTERNAL_IPV6_PREFIX}), 1)), '/${EXTERNAL_IPV6_PREFIX}')`;
  return `multiIf(${ip} = '' OR ${internal}, ${own}, isIPv4String(${ip}), ${v4Group}, isIPv6String(${ip}), ${v6Group}, ${own})`;
}

export const CLIENT_NAME_SQL =
  "multiIf(client_service != '', client_service, client_workload != '', client_workload, " +
  "client_process != '', client_process, client_host != '', client_host, " +
  `${addressNameSql("client_ip")})`;

export const SERVER_NAME_SQL =
  "multiIf(server_service != '', server_service, server_workload != '', server_workload, " +
  "server_process != '', concat(server_process, ':', toString(server_port)), server_host != '', server_host, " +
  `${addressNameSql("server_ip", "server_port")})`;

/** 1 when the end is a known service (rules 1–3), 0 for a DNS name, group or address. */
export const CLIENT_NAMED_SQL =
  "toUInt8(client_service != '' OR client_workload != '' OR client_process != '')";
export const SERVER_NAMED_SQL =
  "toUInt8(server_service != '' OR server_workload != '' OR server_process != '')";

/**
 * The names as migrations 0004–0013 rendered them, before `client_host` and
 * address grouping: those files render them still, so a fresh database runs
 * each old migration as it shipped (their views read tables that have no
 * `client_host` yet); migration 0025 replaces the views with the rules above.
 */
export const NAMES_BEFORE_PEER_GROUPING = {
  client:
    "multiIf(client_service != '', client_service, client_workload != '', client_workload, " +
    "client_process != '', client_process, client_ip)",
  server:
    "multiIf(server_service != '', server_service, server_workload != '', server_workload, " +
    "server_process != '', concat(server_process, ':', toString(server_port)), server_host != '', server_host, " +
    "concat(if(position(server_ip, ':') > 0, concat('[', server_ip, ']'), server_ip), ':', toString(server_port)))",
} as const;
