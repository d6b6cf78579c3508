import { Role } from "../capture/events.js";
import type { Connection, SocketEndpoint } from "../connections/connection.js";
import type { ConnectionTracker } from "../connections/connection-tracker.js";
import type { ObservedEnds } from "../records/observed-ends.js";
import type { RecordEndpoint, RequestRecord } from "../records/request-record.js";
import type { ListeningSockets } from "./listening-sockets.js";
import type { LocalAddresses } from "./local-addresses.js";
import type { ProcessNames } from "./process-names.js";

export interface EndpointResolverCounters {
  peersFromTracker: number;
  peersFromListeners: number;
  peersUnknown: number;
}

/**
 * Service identity on one host: a local process's service is its name; the far
 * end of a connection is named when it is a local process too.
 */
export class EndpointResolver {
  readonly counters: EndpointResolverCounters = {
    peersFromTracker: 0,
    peersFromListeners: 0,
    peersUnknown: 0,
  };

  constructor(
    private readonly tracker: ConnectionTracker,
    private readonly processNames: ProcessNames,
    private readonly listeners: ListeningSockets,
    private readonly localAddresses: LocalAddresses,
  ) {}

  /** Client and server ends of `connection`, or undefined while its role is unknown. */
  describe(connection: Connection): ObservedEnds | undefined {
    if (connection.role === Role.Unknown) return undefined;
    const ownName = this.processNames.get(connection.pid, connection.processName);
    // Fields spelled out rather than spread: this runs once per record.
    const local = connection.local;
    const own: RecordEndpoint = {
      ip: local?.ip ?? "",
      port: local?.port ?? 0,
      service: ownName,
      pid: connection.pid,
      processName: ownName,
    };
    const peer = this.describePeer(connection);
    return connection.role === Role.Client
      ? { side: "client", client: own, server: peer }
      : { side: "server", client: peer, server: own };
  }

  /**
   * The namespaces the record's local processes state (otel-identity.ts), as
   * the attributes the collector reads for ends it has no Kubernetes identity
   * of. A parser's own value is kept.
   */
  addStatedNamespaces(record: RequestRecord): void {
    for (const [end, attribute] of [
      [record.client, "k8s.client.namespace"],
      [record.server, "k8s.server.namespace"],
    ] as const) {
      if (end.pid === 0 || record.attributes[attribute] !== undefined) continue;
      const namespace = this.processNames.namespaceOf(end.pid);
      if (namespace !== "") record.attributes[attribute] = namespace;
    }
  }

  private describePeer(connection: Connection): RecordEndpoint {
    const remote = connection.remote;
    if (remote === undefined) return { ip: "", port: 0, service: "", pid: 0, processName: "" };
    const peer = this.localPeer(connection, remote);
    if (peer === undefined) {
      this.counters.peersUnknown++;
      return { ip: remote.ip, port: remote.port, service: "", pid: 0, processName: "" };
    }
    // Batches arrive after the fact: a short-lived peer (curl) may have exited
    // by now, leaving only the comm its events carried.
    const name = this.processNames.get(peer.pid, peer.nameFromEvents);
    return { ip: remote.ip, port: remote.port, service: name, pid: peer.pid, processName: name };
  }

  private localPeer(
    connection: Connection,
    remote: SocketEndpoint,
  ): { pid: number; nameFromEvents: string } | undefined {
    if (!this.localAddresses.has(remote.ip)) return undefined;
    // The other end of a loopback connection is one of ours when both are traced:
    // its local endpoint is our remote one, and its remote endpoint our local one.
    for (const candidate of this.tracker.findByLocalEndpoint(remote)) {
      const pointsBack =
        connection.local === undefined ||
        (candidate.remote?.ip === connection.local.ip && candidate.remote.port === connection.local.port);
      if (candidate !== connection && pointsBack) {
        this.counters.peersFromTracker++;
        return { pid: candidate.pid, nameFromEvents: candidate.processName };
      }
    }
    if (connection.role === Role.Client) {
      const owner = this.listeners.ownerOf(remote);
      if (owner !== undefined) {
        this.counters.peersFromListeners++;
        return { pid: owner, nameFromEvents: "" };
      }
    }
    return undefined;
  }
}
