import { Direction, Role } from "../capture/events.js";
import { looksLikeRequestStart, looksLikeResponseStart } from "../protocols/http1/message-head.js";

/**
 * When the kernel did not see connect() or accept() (the socket predates the
 * agent, or came from an fd passed between processes), the first bytes tell:
 * the side that writes a request is the client, the side that reads one the server.
 */
export function inferRoleFromBytes(direction: Direction, firstBytes: Buffer): Role {
  const writes = direction === Direction.Egress;
  if (looksLikeRequestStart(firstBytes)) return writes ? Role.Client : Role.Server;
  if (looksLikeResponseStart(firstBytes)) return writes ? Role.Server : Role.Client;
  return Role.Unknown;
}
