import { Direction, Role } from "../capture/events.js";
import type { FirstBytesKind } from "../protocols/protocol-definition.js";

/**
 * When the kernel did not see connect() or accept() (the socket predates the
 * agent, or came from an fd passed between processes), the first bytes tell:
 * the side that writes a request is the client, the side that reads one the server.
 */
export function inferRoleFromFirstBytes(direction: Direction, kind: FirstBytesKind): Role {
  const writes = direction === Direction.Egress;
  if (kind === "request") return writes ? Role.Client : Role.Server;
  if (kind === "response") return writes ? Role.Server : Role.Client;
  return Role.Unknown;
}
