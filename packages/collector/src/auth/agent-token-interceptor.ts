// gRPC server interceptor: every call (ingest and control streams) must carry
// `authorization: Bearer <agent token>` metadata, or it ends UNAUTHENTICATED
// before any message is read.
import { type Metadata, ServerInterceptingCall, type ServerInterceptor, status } from "@grpc/grpc-js";
import { bearerToken, hashToken, sameHash } from "./token-hash.js";

export function agentTokenInterceptor(agentToken: string): ServerInterceptor {
  const expected = hashToken(agentToken);
  const accepts = (metadata: Metadata) => {
    const value = metadata.get("authorization")[0];
    const token = bearerToken(typeof value === "string" ? value : undefined);
    return token !== undefined && sameHash(hashToken(token), expected);
  };
  return (_method, call) =>
    new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, forward) => {
            if (accepts(metadata)) forward(metadata);
            else call.sendStatus({ code: status.UNAUTHENTICATED, details: "missing or wrong agent token" });
          },
        }),
    });
}
