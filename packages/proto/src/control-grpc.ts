// grpc-js definition of ControlService, built from the protobuf-es schemas
// (as grpc.ts does for ingest), shared by the collector and the agent.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceDefinition } from "@grpc/grpc-js";
import {
  type ConnectRequest,
  ConnectRequestSchema,
  type ConnectResponse,
  ConnectResponseSchema,
} from "./gen/periscope/agent/v1/control_pb.js";

export const CONTROL_CONNECT_PATH = "/periscope.agent.v1.ControlService/Connect";

export const controlServiceDefinition = {
  connect: {
    path: CONTROL_CONNECT_PATH,
    requestStream: true,
    responseStream: true,
    requestSerialize: (message: ConnectRequest) => Buffer.from(toBinary(ConnectRequestSchema, message)),
    requestDeserialize: (bytes: Buffer) => fromBinary(ConnectRequestSchema, bytes),
    responseSerialize: (message: ConnectResponse) => Buffer.from(toBinary(ConnectResponseSchema, message)),
    responseDeserialize: (bytes: Buffer) => fromBinary(ConnectResponseSchema, bytes),
  },
} satisfies ServiceDefinition;
