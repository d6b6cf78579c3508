// Turns one batch from the native poller into KernelEvents. A batch is a run
// of [u32 length][record] frames; records are the C structs of
// bpf/common/socket_trace.h (offsets in layout.ts), in the host's byte order.
// Bad records are counted and skipped, never thrown: one corrupt record must
// not cost the rest of the batch.

import { formatIpv4, formatIpv6 } from "./address-format.js";
import {
  type ConnCloseEvent,
  type ConnOpenEvent,
  type DataEvent,
  Direction,
  type KernelEvent,
  KernelProtocol,
  Role,
  SourceSyscall,
} from "./events.js";
import {
  AddressFamily,
  BATCH_LENGTH_PREFIX_BYTES,
  ConnCloseLayout,
  ConnOpenLayout,
  DataEventLayout,
  DataFlag,
  EventHeaderLayout,
  EventType,
  TransportCode,
} from "./layout.js";

/** Why records were skipped; all counters only ever grow. */
export interface DecoderCounters {
  /** Records turned into events. */
  decoded: number;
  /** A length prefix promised more bytes than the batch holds; the rest of that batch is lost. */
  truncatedFrames: number;
  /** Shorter than its struct, or its header's size disagrees with its frame. */
  badSize: number;
  /** Header type is none of enum event_type. */
  unknownType: number;
  /** A field outside its enum or range (family, direction, captured_len > syscall_len...). */
  badField: number;
}

const ROLES = new Set<number>(Object.values(Role));
const DIRECTIONS = new Set<number>(Object.values(Direction));
const SOURCES = new Set<number>(Object.values(SourceSyscall));
const PROTOCOLS = new Set<number>(Object.values(KernelProtocol));

type Header = Pick<KernelEvent, "timestampNs" | "conn" | "pid">;

export class BatchDecoder {
  readonly counters: DecoderCounters = {
    decoded: 0,
    truncatedFrames: 0,
    badSize: 0,
    unknownType: 0,
    badField: 0,
  };

  decode(batch: Buffer): KernelEvent[] {
    const events: KernelEvent[] = [];
    let cursor = 0;
    while (cursor < batch.length) {
      if (cursor + BATCH_LENGTH_PREFIX_BYTES > batch.length) {
        this.counters.truncatedFrames++;
        break;
      }
      const length = batch.readUInt32LE(cursor);
      const start = cursor + BATCH_LENGTH_PREFIX_BYTES;
      if (start + length > batch.length) {
        this.counters.truncatedFrames++;
        break;
      }
      const event = this.decodeRecord(batch.subarray(start, start + length));
      if (event) {
        events.push(event);
        this.counters.decoded++;
      }
      cursor = start + length;
    }
    return events;
  }

  private decodeRecord(record: Buffer): KernelEvent | undefined {
    if (
      record.length < EventHeaderLayout.size ||
      record.readUInt16LE(EventHeaderLayout.recordSize) !== record.length
    ) {
      this.counters.badSize++;
      return undefined;
    }
    const header: Header = {
      timestampNs: record.readBigUInt64LE(EventHeaderLayout.timestampNs),
      conn: {
        tgid: record.readUInt32LE(EventHeaderLayout.connTgid),
        fd: record.readInt32LE(EventHeaderLayout.connFd),
        generation: record.readUInt32LE(EventHeaderLayout.connGeneration),
      },
      pid: record.readUInt32LE(EventHeaderLayout.pid),
    };
    switch (record.readUInt16LE(EventHeaderLayout.type)) {
      case EventType.ConnOpen:
        return this.decodeOpen(record, header);
      case EventType.ConnClose:
        return this.decodeClose(record, header);
      case EventType.Data:
        return this.decodeData(record, header);
      default:
        this.counters.unknownType++;
        return undefined;
    }
  }

  private decodeOpen(record: Buffer, header: Header): ConnOpenEvent | undefined {
    if (record.length !== ConnOpenLayout.size) {
      this.counters.badSize++;
      return undefined;
    }
    const familyCode = record.readUInt16LE(ConnOpenLayout.family);
    const role = record.readUInt8(ConnOpenLayout.role);
    const source = record.readUInt8(ConnOpenLayout.source);
    const transport = record.readUInt8(ConnOpenLayout.transport);
    if (
      (familyCode !== AddressFamily.Inet && familyCode !== AddressFamily.Inet6) ||
      !ROLES.has(role) ||
      !SOURCES.has(source) ||
      (transport !== TransportCode.Tcp && transport !== TransportCode.Udp)
    ) {
      this.counters.badField++;
      return undefined;
    }
    const format = familyCode === AddressFamily.Inet ? formatIpv4 : formatIpv6;
    const addr = (offset: number) => format(record.subarray(offset, offset + ConnOpenLayout.addrBytes));
    const commBytes = record.subarray(ConnOpenLayout.comm, ConnOpenLayout.comm + ConnOpenLayout.commBytes);
    const commEnd = commBytes.indexOf(0);
    return {
      kind: "open",
      ...header,
      family: familyCode === AddressFamily.Inet ? "ipv4" : "ipv6",
      localAddr: addr(ConnOpenLayout.localAddr),
      localPort: record.readUInt16LE(ConnOpenLayout.localPort),
      remoteAddr: addr(ConnOpenLayout.remoteAddr),
      remotePort: record.readUInt16LE(ConnOpenLayout.remotePort),
      role: role as Role,
      source: source as SourceSyscall,
      comm: commBytes.toString("utf8", 0, commEnd === -1 ? commBytes.length : commEnd),
      transport: transport === TransportCode.Udp ? "udp" : "tcp",
    };
  }

  private decodeClose(record: Buffer, header: Header): ConnCloseEvent | undefined {
    if (record.length !== ConnCloseLayout.size) {
      this.counters.badSize++;
      return undefined;
    }
    return {
      kind: "close",
      ...header,
      bytesSent: record.readBigUInt64LE(ConnCloseLayout.bytesSent),
      bytesReceived: record.readBigUInt64LE(ConnCloseLayout.bytesReceived),
    };
  }

  private decodeData(record: Buffer, header: Header): DataEvent | undefined {
    if (record.length < DataEventLayout.size) {
      this.counters.badSize++;
      return undefined;
    }
    const syscallLen = record.readUInt32LE(DataEventLayout.syscallLen);
    const capturedLen = record.readUInt32LE(DataEventLayout.capturedLen);
    if (DataEventLayout.data + capturedLen !== record.length) {
      this.counters.badSize++;
      return undefined;
    }
    const direction = record.readUInt8(DataEventLayout.direction);
    const source = record.readUInt8(DataEventLayout.source);
    const protocol = record.readUInt8(DataEventLayout.protocol);
    const role = record.readUInt8(DataEventLayout.role);
    const fieldsValid =
      capturedLen <= syscallLen &&
      DIRECTIONS.has(direction) &&
      SOURCES.has(source) &&
      PROTOCOLS.has(protocol) &&
      ROLES.has(role);
    if (!fieldsValid) {
      this.counters.badField++;
      return undefined;
    }
    return {
      kind: "data",
      ...header,
      direction: direction as Direction,
      source: source as SourceSyscall,
      protocol: protocol as KernelProtocol,
      role: role as Role,
      streamOffset: record.readBigUInt64LE(DataEventLayout.streamOffset),
      syscallLen,
      data: record.subarray(DataEventLayout.data),
      payloadDisabled: (record.readUInt32LE(DataEventLayout.flags) & DataFlag.PayloadDisabled) !== 0,
    };
  }
}
