import { describe, expect, it } from "vitest";
import { MAX_TEMPLATE_LENGTH, TargetTemplater, templatePath, templateTarget } from "./target-template.js";

describe("templatePath", () => {
  it.each([
    // Numbers, and the query string dropped.
    ["/users/1057", "/users/{id}"],
    ["/users/869?expand=orders", "/users/{id}"],
    ["/search?q=shoes#top", "/search"],
    ["/page/2", "/page/{id}"],
    // UUIDs, hashes, mixed alphanumeric ids.
    ["/orders/3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a7b/items", "/orders/{id}/items"],
    ["/blobs/a1b2c3d4e5f6", "/blobs/{id}"],
    ["/objects/507f1f77bcf86cd799439011", "/objects/{id}"],
    // GitHub-like.
    ["/repos/octocat/hello-world/issues/1347/comments", "/repos/octocat/hello-world/issues/{id}/comments"],
    [
      "/repos/octocat/hello-world/commits/6dcb09b5b57875f334f61aebed695e2e4193db5e",
      "/repos/octocat/hello-world/commits/{id}",
    ],
    // Stripe-like prefixed ids; versions stay.
    ["/v1/customers/cus_NffrFeUfNV2Hib", "/v1/customers/{id}"],
    ["/v1/payment_intents/pi_3MtwBwLkdIwHu7ix28a3tqPa/confirm", "/v1/payment_intents/{id}/confirm"],
    // Kubernetes-API-like: versions stay, generated pod names collapse, chosen names stay.
    [
      "/api/v1/namespaces/default/pods/nginx-7c5ddbdf54-x8fkq/log",
      "/api/v1/namespaces/default/pods/{id}/log",
    ],
    [
      "/apis/apps/v1/namespaces/kube-system/deployments/coredns",
      "/apis/apps/v1/namespaces/kube-system/deployments/coredns",
    ],
    [
      "/apis/autoscaling/v2beta2/horizontalpodautoscalers",
      "/apis/autoscaling/v2beta2/horizontalpodautoscalers",
    ],
    ["/api/2.0/clusters/list", "/api/2.0/clusters/list"],
    // Dates, addresses, tokens, file names with ids.
    ["/reports/2024-01-15/summary", "/reports/{id}/summary"],
    ["/users/jane.doe@example.com/settings", "/users/{id}/settings"],
    ["/reset/eyJhbGciOiJIUzI1NiJ9eyJzdWIiOiIxMjM0NTY3ODkwIn0", "/reset/{id}"],
    ["/reset/abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", "/reset/{id}"],
    ["/images/1057.png", "/images/{id}.png"],
    // Words with a small number stay.
    ["/oauth2/token", "/oauth2/token"],
    ["/encode/base64", "/encode/base64"],
    ["/", "/"],
    ["/static/app.js", "/static/app.js"],
  ])("%s → %s", (path, template) => {
    expect(templatePath(path)).toBe(template);
  });

  it("bounds the length", () => {
    expect(templatePath(`/a/${"b/".repeat(500)}`)).toHaveLength(MAX_TEMPLATE_LENGTH);
  });
});

describe("templateTarget", () => {
  it("collapses SQL literals so one statement shape is one series", () => {
    const five = templateTarget("postgres", "SELECT name FROM users WHERE id = 5");
    expect(five).toBe(templateTarget("postgres", "SELECT name FROM users WHERE id = 6"));
    expect(five).toBe("SELECT name FROM users WHERE id = ?");
    expect(templateTarget("mysql", `SELECT * FROM t WHERE name = "bob" AND x = 'y'`)).toBe(
      "SELECT * FROM t WHERE name = ? AND x = ?",
    );
    expect(templateTarget("postgres", "SELECT 1 FROM t WHERE id = $1")).toBe("SELECT ? FROM t WHERE id = $1");
  });

  it("templates Redis keys per ':' part", () => {
    expect(templateTarget("redis", "user:1057")).toBe("user:{id}");
    expect(templateTarget("redis", "session:3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a7b:cart")).toBe(
      "session:{id}:cart",
    );
    expect(templateTarget("redis", "config")).toBe("config");
  });

  it("keeps gRPC methods and other protocols' targets as the parser gave them", () => {
    expect(templateTarget("grpc", "/helloworld.Greeter/SayHello")).toBe("/helloworld.Greeter/SayHello");
    expect(templateTarget("kafka", "orders-v2")).toBe("orders-v2");
    expect(templateTarget("dns", "api1.example.com")).toBe("api1.example.com");
  });

  it("caches templates per protocol (SQL per dialect)", () => {
    const templater = new TargetTemplater();
    const sql = `SELECT "a" FROM t WHERE id = 1`;
    expect(templater.template("postgres", sql)).toBe(`SELECT "a" FROM t WHERE id = ?`);
    expect(templater.template("mysql", sql)).toBe("SELECT ? FROM t WHERE id = ?");
    expect(templater.template("postgres", sql)).toBe(`SELECT "a" FROM t WHERE id = ?`);
    expect(templater.template("http", "/users/1?x")).toBe("/users/{id}");
  });
});
