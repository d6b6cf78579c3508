import { type DataEvent, type KernelEvent, Role } from "./capture/events.js";
import type { Connection } from "./connections/connection.js";
import { ConnectionTracker, type ConnectionTrackerOptions } from "./connections/connection-tracker.js";
import { EndpointResolver } from "./metadata/endpoint-resolver.js";
import type { ListeningSockets } from "./metadata/listening-sockets.js";
import type { LocalAddresses } from "./metadata/local-addresses.js";
import type { ProcessNames } from "./metadata/process-names.js";
import type { RecoveryCounters } from "./protocols/connection-health.js";
import { ConnectionParserRunner } from "./protocols/connection-parser-runner.js";
import type { ConnectionProtocolParser } from "./protocols/message-decoder.js";
import type { ProtocolDefinition } from "./protocols/protocol-definition.js";
import { ProtocolRegistry } from "./protocols/registry.js";
import type { ParserCounters } from "./protocols/stream-driver.js";
import { RecordRedactor } from "./records/record-redactor.js";
import { DEFAULT_REDACTION_RULES, type RedactionRules } from "./records/redaction-rules.js";
import type { RequestRecord } from "./records/request-record.js";
import { isTlsConnectionFd, TLS_ATTRIBUTE } from "./tls/tls-connection.js";
import { ThreadParents } from "./tracing/thread-parents.js";

export interface PipelineOptions {
  tracker: ConnectionTrackerOptions;
  processNames: ProcessNames;
  listeners: ListeningSockets;
  localAddresses: LocalAddresses;
  onRecord: (record: RequestRecord) => void;
  /** The protocols parsed; every registered one by default. */
  protocols?: readonly ProtocolDefinition[];
  /** What is removed from records before onRecord sees them; the defaults when absent. */
  redaction?: RedactionRules;
  /**
   * A connection's parser was given up on (its bytes kept failing to parse: most
   * likely the kernel's inference was a false positive). The capture layer can
   * stop copying that connection's bytes in the kernel.
   */
  onConnectionDisabled?: (connection: DisabledConnection) => void;
}

/** Which connection was disabled: the kernel's (tgid, fd, generation) and the tracker's key. */
export interface DisabledConnection {
  pid: number;
  fd: number;
  generation: number;
  key: string;
}

/** User-space losses, summed since start; the kernel's own are counted there. */
export interface PipelineCounters {
  /** Times a gap in captured bytes made a parser lose its place. */
  streamGaps: number;
  parseErrors: number;
  /** Bytes moved by syscalls but not captured (capture cap, lost events). */
  uncapturedBytes: number;
  /** Bytes dropped because a parser fell behind the per-stream buffer cap. */
  streamOverflowBytes: number;
  /** Requests never answered before their connection ended or their queue overflowed. */
  unansweredRequests: number;
  recordsEmitted: number;
  connectionsEvicted: number;
  /** Connections whose parser was given up on after repeated parse failures. */
  connectionsDisabled: number;
  /** Times a parser found a frame boundary again after bad bytes or a gap. */
  parserResyncs: number;
}

type ProtocolState =
  | { kind: "undecided"; dataEvents: number }
  | {
      kind: "parsing";
      definition: ProtocolDefinition;
      parser: ConnectionProtocolParser<unknown, unknown, unknown>;
      runner: ConnectionParserRunner<unknown, unknown, unknown>;
      /** The parser's malformedMessages already added to parseErrors. */
      malformedCounted: number;
    }
  | { kind: "ignored" }
  /** Parsing was given up on: the bytes kept failing to parse. */
  | { kind: "disabled" };

/** Data events inspected before a connection is judged not to carry a protocol we parse. */
const MAX_UNDECIDED_EVENTS = 8;

/**
 * The agent's user-space path, free of I/O: kernel event batches in, request
 * records out. Connections are tracked, their streams reassembled and parsed,
 * and each paired exchange becomes a record with both ends described.
 */
export class Pipeline {
  readonly tracker: ConnectionTracker;
  private readonly resolver: EndpointResolver;
  private readonly parserCounters: ParserCounters = { parseErrors: 0, streamGaps: 0 };
  private readonly recoveryCounters: RecoveryCounters = { parserResyncs: 0 };
  private readonly totals = {
    uncapturedBytes: 0,
    streamOverflowBytes: 0,
    unansweredRequests: 0,
    recordsEmitted: 0,
    connectionsDisabled: 0,
  };

  private readonly registry: ProtocolRegistry;
  /** Parents of untraced calls read from the thread that made them (thread-per-request servers). */
  readonly threadParents: ThreadParents;
  private redaction: RedactionRules;
  private redactor: RecordRedactor;

  constructor(private readonly options: PipelineOptions) {
    this.registry = new ProtocolRegistry(options.protocols);
    this.redaction = options.redaction ?? DEFAULT_REDACTION_RULES;
    this.redactor = new RecordRedactor(this.redaction);
    this.threadParents = new ThreadParents((record) => options.onRecord(record));
    const classifyFirstBytes = (bytes: Buffer) => this.registry.classify(bytes)?.kind;
    this.tracker = new ConnectionTracker({ classifyFirstBytes, ...options.tracker }, (connection) =>
      this.onConnectionRemoved(connection),
    );
    this.resolver = new EndpointResolver(
      this.tracker,
      options.processNames,
      options.listeners,
      options.localAddresses,
    );
  }

  handleBatch(events: readonly KernelEvent[]): void {
    for (const event of events) {
      switch (event.kind) {
        case "open":
          this.tracker.open(event).protocolState = {
            kind: "undecided",
            dataEvents: 0,
          } satisfies ProtocolState;
          break;
        case "data":
          this.handleData(event);
          break;
        case "close":
          this.tracker.close(event);
          break;
      }
    }
  }

  /**
   * New rules from a runtime control: every record emitted from now on follows
   * them; connections opened from now on also hand their header names to HPACK.
   */
  setRedaction(rules: RedactionRules): void {
    this.redaction = rules;
    this.redactor = new RecordRedactor(rules);
  }

  /** Forgets connections idle for the tracker's timeout. */
  evictIdle(nowMonotonicNs: bigint): void {
    this.tracker.evictIdle(nowMonotonicNs);
    this.threadParents.sweep(nowMonotonicNs);
  }

  /** Ends every connection (completing close-delimited responses). */
  close(): void {
    for (const connection of [...this.tracker.all()]) {
      this.tracker.close({
        kind: "close",
        conn: connection.id,
        pid: connection.pid,
        timestampNs: connection.lastActivityNs,
        bytesSent: 0n,
        bytesReceived: 0n,
      });
    }
  }

  counters(): PipelineCounters {
    let uncapturedBytes = this.totals.uncapturedBytes;
    let streamOverflowBytes = this.totals.streamOverflowBytes;
    for (const connection of this.tracker.all()) {
      for (const stream of [connection.egress, connection.ingress]) {
        uncapturedBytes += stream.counters.lostBytes;
        streamOverflowBytes += stream.counters.overflowBytes;
      }
    }
    const trackerCounters = this.tracker.counters;
    return {
      streamGaps: this.parserCounters.streamGaps,
      parseErrors: this.parserCounters.parseErrors,
      uncapturedBytes,
      streamOverflowBytes,
      unansweredRequests: this.totals.unansweredRequests,
      recordsEmitted: this.totals.recordsEmitted,
      connectionsEvicted: trackerCounters.evictedForSpace + trackerCounters.evictedIdle,
      connectionsDisabled: this.totals.connectionsDisabled,
      parserResyncs: this.recoveryCounters.parserResyncs,
    };
  }

  private handleData(event: DataEvent): void {
    const connection = this.tracker.data(event);
    const state = this.protocolStateOf(connection, event);
    if (state.kind !== "parsing") return;
    // Before the bytes are parsed: a record they complete may need to know who wrote its first byte.
    this.threadParents.observe(connection, event.direction, event.pid, event.timestampNs);
    connection
      .stream(event.direction)
      .append(event.streamOffset, event.data, event.syscallLen, event.timestampNs);
    const requests = connection.requestStream;
    const responses = connection.responseStream;
    if (requests === undefined || responses === undefined) return;
    state.runner.drain(requests, responses);
    this.countMalformed(state);
    if (state.runner.disabled) {
      this.disable(connection, state);
      return;
    }
    if (state.runner.finished) {
      // The connection switched protocols (WebSocket, CONNECT tunnel): stop buffering it.
      connection.protocolState = { kind: "ignored" } satisfies ProtocolState;
      connection.egress.clear();
      connection.ingress.clear();
    }
  }

  /** Decides, from the kernel's guess or the first bytes, whether we parse this connection. */
  private protocolStateOf(connection: Connection, event: DataEvent): ProtocolState {
    const current = (connection.protocolState as ProtocolState | undefined) ?? {
      kind: "undecided",
      dataEvents: 0,
    };
    if (current.kind !== "undecided") return current;
    if (this.registry.claimsNone(event.data)) {
      connection.protocolState = { kind: "ignored" } satisfies ProtocolState;
      return connection.protocolState as ProtocolState;
    }
    const definition =
      this.registry.byKernelProtocol(event.protocol) ?? this.registry.classify(event.data)?.definition;
    let next: ProtocolState;
    if (definition !== undefined && connection.role !== Role.Unknown) {
      const parser = definition.createParser({ redactedHeaders: this.redaction.headers });
      const runner = new ConnectionParserRunner(
        parser,
        this.parserCounters,
        (exchange) => this.emit(connection, definition, exchange),
        this.recoveryCounters,
      );
      next = { kind: "parsing", definition, parser, runner, malformedCounted: 0 };
    } else if (current.dataEvents + 1 >= MAX_UNDECIDED_EVENTS) {
      next = { kind: "ignored" };
    } else {
      next = { kind: "undecided", dataEvents: current.dataEvents + 1 };
    }
    connection.protocolState = next;
    return next;
  }

  /** Messages that framed but whose content could not be decoded (an HPACK block) are parse errors too. */
  private countMalformed(state: Extract<ProtocolState, { kind: "parsing" }>): void {
    const malformed = state.parser.malformedMessages ?? 0;
    this.parserCounters.parseErrors += malformed - state.malformedCounted;
    state.malformedCounted = malformed;
  }

  private disable(connection: Connection, state: Extract<ProtocolState, { kind: "parsing" }>): void {
    this.totals.connectionsDisabled++;
    // Requests still waiting will never be answered now.
    this.totals.unansweredRequests += state.parser.unansweredRequests + (state.parser.droppedRequests ?? 0);
    connection.protocolState = { kind: "disabled" } satisfies ProtocolState;
    connection.egress.clear();
    connection.ingress.clear();
    this.options.onConnectionDisabled?.({
      pid: connection.pid,
      fd: connection.id.fd,
      generation: connection.id.generation,
      key: connection.key,
    });
  }

  private emit(connection: Connection, definition: ProtocolDefinition, exchange: unknown): void {
    const ends = this.resolver.describe(connection);
    if (ends === undefined) return;
    this.totals.recordsEmitted++;
    const record = definition.toRecord(exchange, ends);
    this.resolver.addStatedNamespaces(record);
    if (isTlsConnectionFd(connection.id.fd)) record.attributes[TLS_ATTRIBUTE] = "true";
    this.threadParents.record(connection, this.redactor.apply(record));
  }

  private onConnectionRemoved(connection: Connection): void {
    const state = connection.protocolState as ProtocolState | undefined;
    if (state?.kind === "parsing") {
      const requests = connection.requestStream;
      const responses = connection.responseStream;
      if (requests !== undefined && responses !== undefined) state.runner.end(requests, responses);
      this.countMalformed(state);
      this.totals.unansweredRequests += state.parser.unansweredRequests + (state.parser.droppedRequests ?? 0);
    }
    this.threadParents.forgetConnection(connection.key);
    for (const stream of [connection.egress, connection.ingress]) {
      this.totals.uncapturedBytes += stream.counters.lostBytes;
      this.totals.streamOverflowBytes += stream.counters.overflowBytes;
      stream.clear();
    }
    if (this.tracker.connectionCount(connection.pid) === 0) this.options.processNames.forget(connection.pid);
  }
}
