// Who a map node is, as SQL over `requests` columns. The same expressions feed
// the roll-up views (storage/migrations render them in) and the raw-row
// queries, so a name means the same thing everywhere. Changing them changes
// only rows stored afterwards in the roll-ups.
//
// Most specific first:
//   1. the service the agent resolved (Kubernetes service, or a host's program);
//   2. the Kubernetes workload, when metadata named one but no service;
//   3. a local process: its name — for a server with ":port", since two
//      servers of one program are told apart by what they listen on (a
//      client's port is ephemeral and says nothing);
//   4. an unknown server by the DNS name the client used (HTTP Host), else
//      "ip:port"; an unknown client by its ip. IPv6 is bracketed before ":port".
export const CLIENT_NAME_SQL =
  "multiIf(client_service != '', client_service, client_workload != '', client_workload, " +
  "client_process != '', client_process, client_ip)";

export const SERVER_NAME_SQL =
  "multiIf(server_service != '', server_service, server_workload != '', server_workload, " +
  "server_process != '', concat(server_process, ':', toString(server_port)), server_host != '', server_host, " +
  "concat(if(position(server_ip, ':') > 0, concat('[', server_ip, ']'), server_ip), ':', toString(server_port)))";

/** 1 when the end is a known service (rules 1–3), 0 for an address or DNS name. */
export const CLIENT_NAMED_SQL =
  "toUInt8(client_service != '' OR client_workload != '' OR client_process != '')";
export const SERVER_NAMED_SQL =
  "toUInt8(server_service != '' OR server_workload != '' OR server_process != '')";
