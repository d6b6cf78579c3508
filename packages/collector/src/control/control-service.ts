// grpc-js implementation of ControlService.Connect over AgentControl.
import { type ServerDuplexStream, status } from "@grpc/grpc-js";
import { type ConnectRequest, type ConnectResponse, controlServiceDefinition } from "@periscope/proto";
import type { AgentControl } from "./agent-control.js";

export interface ControlLogger {
  warn(details: object, message: string): void;
}

export function controlService(control: AgentControl, logger: ControlLogger) {
  const connect = (call: ServerDuplexStream<ConnectRequest, ConnectResponse>) => {
    let agentId: string | undefined;
    const refuse = (code: status, details: string) => {
      call.emit("error", { code, details });
    };
    call.on("data", (request: ConnectRequest) => {
      const message = request.message;
      if (agentId === undefined) {
        if (message.case !== "hello" || message.value.agentId === "" || message.value.agentId.length > 256) {
          refuse(status.INVALID_ARGUMENT, "the first message must be a hello with an agent_id (≤ 256 chars)");
          return;
        }
        if (!control.connect(message.value.agentId, Number(message.value.configVersion), call)) {
          refuse(status.RESOURCE_EXHAUSTED, "the collector controls too many agents; retry later");
          return;
        }
        agentId = message.value.agentId;
        return;
      }
      if (message.case === "applied") control.acknowledge(agentId, message.value);
    });
    const finish = () => {
      if (agentId !== undefined) control.disconnect(agentId, call);
    };
    call.on("end", () => {
      finish();
      call.end();
    });
    call.on("cancelled", finish);
    call.on("error", (error) => {
      finish();
      logger.warn({ err: error, agentId }, "control stream failed");
    });
  };
  return { definition: controlServiceDefinition, implementation: { connect } };
}
