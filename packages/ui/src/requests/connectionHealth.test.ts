import { describe, expect, it } from "vitest";
import { connectionHealthOf, connectionsApiParams } from "./connectionHealth";
import { parseConnections, parseRequestView } from "./parseRequestsApi";
import { CHECKOUT_SERVER, ORDERS_CONNECTIONS } from "./requests.fixtures";

const request = parseRequestView(CHECKOUT_SERVER);
const intervals = parseConnections(ORDERS_CONNECTIONS) ?? [];

describe("connectionHealthOf", () => {
  it("sums only the intervals of the request's own connection", () => {
    if (!request) throw new Error("fixture");
    expect(connectionHealthOf(request, intervals)).toEqual({
      intervals: 2,
      retransmits: 2,
      resetsSent: 0,
      resetsReceived: 1,
      connectFailed: false,
      srttUs: 240,
      bytesSent: 2000,
      bytesReceived: 440,
      state: "CLOSE",
      verdict: "degraded",
    });
  });

  it("is undefined when no interval matches", () => {
    if (!request) throw new Error("fixture");
    expect(connectionHealthOf(request, intervals.slice(2))).toBeUndefined();
  });

  it("asks the observing process for a minute either side", () => {
    if (!request) throw new Error("fixture");
    const params = connectionsApiParams(request);
    expect(params.get("process")).toBe("demo-orders");
    expect(params.get("remote_ip")).toBe("10.0.0.5");
    expect(Number(params.get("to")) - Number(params.get("from"))).toBe(120_000);
  });
});
