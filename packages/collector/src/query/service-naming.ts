// The contract's naming rule for map nodes, as SQL over `requests` columns:
// a service name when the agent resolved one, else "ip:port" for a server
// (stable: the port identifies what is listening) and "ip" for a client (its
// port is ephemeral). IPv6 servers are bracketed so the port stays readable.
export const CLIENT_NAME_SQL = "if(client_service != '', client_service, client_ip)";

export const SERVER_NAME_SQL =
  "if(server_service != '', server_service, " +
  "concat(if(position(server_ip, ':') > 0, concat('[', server_ip, ']'), server_ip), ':', toString(server_port)))";
