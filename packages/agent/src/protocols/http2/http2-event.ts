import type { HeaderField } from "./hpack/hpack-decoder.js";

/** What one direction's frames tell the pairing side; one per frame that matters to a stream. */
export type Http2Event =
  | {
      kind: "headers";
      streamId: number;
      endStream: boolean;
      fields: HeaderField[];
      /** Fields that could not be decoded (dynamic-table entries from before we joined). */
      unknownFields: number;
      /** False when the block failed to decode (its fields are then empty). */
      decoded: boolean;
      /** Set for PUSH_PROMISE: the stream the promised request opens. */
      promisedStreamId?: number;
      wireBytes: number;
    }
  | {
      kind: "data";
      streamId: number;
      endStream: boolean;
      wireBytes: number;
      /** gRPC messages completed on the stream in this direction so far; absent on non-gRPC streams. */
      grpc?: { messages: number; inSync: boolean };
    }
  | { kind: "reset"; streamId: number; errorCode: number; wireBytes: number }
  | { kind: "goaway"; lastStreamId: number; errorCode: number }
  | { kind: "settings"; headerTableSize?: number; maxFrameSize?: number }
  /** No bytes: the pairing side has exchanges waiting to be handed out (see Http2Parser). */
  | { kind: "flush" };
