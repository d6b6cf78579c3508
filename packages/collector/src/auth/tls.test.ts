// HTTPS and gRPC over TLS from PERISCOPE_TLS_CERT/KEY, through a real collector
// (its own file: one embedded engine per test process).
import { rmSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { credentials, status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CollectorUnderTest, startCollectorUnderTest } from "../http/fixtures/running-collector.js";
import { exportOnce } from "./fixtures/grpc-export.js";
import { makeSelfSignedCertificate, type TestCertificate } from "./fixtures/tls-material.js";

describe("TLS", () => {
  let tls: CollectorUnderTest;
  let certificate: TestCertificate;

  beforeAll(async () => {
    certificate = makeSelfSignedCertificate();
    tls = await startCollectorUnderTest({
      tlsCertFile: certificate.certFile,
      tlsKeyFile: certificate.keyFile,
    });
  });
  afterAll(async () => {
    await tls?.close();
    rmSync(certificate.dir, { recursive: true, force: true });
  });

  it("serves the API over HTTPS with the configured certificate", async () => {
    expect(tls.collector.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(`${tls.collector.httpUrl}/api/v1/health`, { ca: certificate.cert }, (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve(text));
      });
      req.on("error", reject);
      req.end();
    });
    expect(JSON.parse(body)).toEqual({ status: "ok" });
  });

  it("serves gRPC over TLS and refuses a plaintext client", async () => {
    const trusted = credentials.createSsl(certificate.cert);
    expect(await exportOnce(tls.collector.grpcAddress, trusted)).toMatchObject({ code: status.OK });
    expect((await exportOnce(tls.collector.grpcAddress, credentials.createInsecure())).code).toBe(
      status.UNAVAILABLE,
    );
  });
});
