import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import { Gauge, Registry } from "prom-client";
import { memoryLogger } from "../../test/support/memory-logger.ts";
import { UserInputError } from "./errors.ts";
import { type HealthReport, type MetricsServerOptions, startMetricsServer } from "./metrics-server.ts";

function registryWithGauge(): Registry {
  const registry = new Registry();
  const gauge = new Gauge({
    name: "operator_build_info",
    help: "build",
    labelNames: ["version"],
    registers: [registry],
  });
  gauge.set({ version: "0.1.0" }, 1);
  return registry;
}

async function withServer(
  overrides: Partial<MetricsServerOptions>,
  test: (url: string) => Promise<void>,
): Promise<void> {
  const server = await startMetricsServer({
    host: "127.0.0.1",
    port: 0,
    registry: registryWithGauge(),
    health: async () => ({ ok: true }),
    ...overrides,
  });
  try {
    await test(server.url);
  } finally {
    await server.close();
  }
}

describe("startMetricsServer", () => {
  it("serves Prometheus text on GET /metrics", async () => {
    await withServer({}, async (url) => {
      const response = await fetch(`${url}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
      assert.match(await response.text(), /operator_build_info\{version="0\.1\.0"\} 1/);
    });
  });

  it("answers GET /health with 200 or 503 and sanitized JSON", async () => {
    let report: HealthReport = { ok: true, details: { headSlot: 7 } };
    await withServer({ health: async () => report }, async (url) => {
      const healthy = await fetch(`${url}/health`);
      assert.equal(healthy.status, 200);
      assert.deepEqual(await healthy.json(), { ok: true, details: { headSlot: 7 } });
      report = { ok: false, details: { beacon: "https://u:p@b.io/x", token: "t" } };
      const sick = await fetch(`${url}/health`);
      assert.equal(sick.status, 503);
      assert.deepEqual(await sick.json(), {
        ok: false,
        details: { beacon: "https://***@b.io/***", token: "[redacted]" },
      });
    });
  });

  it("answers 503 when the health check throws or hangs", async () => {
    await withServer(
      {
        health: async () => {
          throw new Error("db closed");
        },
      },
      async (url) => {
        const response = await fetch(`${url}/health`);
        assert.equal(response.status, 503);
        const body = (await response.json()) as { ok: boolean; details: { error: { message: string } } };
        assert.equal(body.ok, false);
        assert.equal(body.details.error.message, "db closed");
      },
    );
    await withServer({ health: () => new Promise(() => {}), healthTimeoutMs: 5 }, async (url) => {
      const response = await fetch(`${url}/health`);
      assert.equal(response.status, 503);
      const body = (await response.json()) as { details: { error: string } };
      assert.match(body.details.error, /timed out after 5 ms/);
    });
  });

  it("answers 404 for other paths and 405 for other methods", async () => {
    await withServer({}, async (url) => {
      assert.equal((await fetch(`${url}/`)).status, 404);
      const post = await fetch(`${url}/metrics`, { method: "POST" });
      assert.equal(post.status, 405);
      assert.equal(post.headers.get("allow"), "GET, HEAD");
      const head = await fetch(`${url}/metrics`, { method: "HEAD" });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), "");
    });
  });

  it("answers 500 and logs when the registry fails", async () => {
    const logger = memoryLogger();
    const registry = registryWithGauge();
    registry.metrics = () => Promise.reject(new Error("collect failed"));
    await withServer({ registry, logger }, async (url) => {
      assert.equal((await fetch(`${url}/metrics`)).status, 500);
      assert.deepEqual(logger.lines("error"), ["error metrics server request failed"]);
    });
  });

  it("refuses a port in use with a user error naming the flag", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await assert.rejects(
        startMetricsServer({
          host: "127.0.0.1",
          port,
          registry: new Registry(),
          health: async () => ({ ok: true }),
        }),
        (error: unknown) => {
          assert.ok(error instanceof UserInputError);
          assert.equal(
            error.message,
            `--metrics-port ${port} is in use: another process listens on 127.0.0.1:${port}; stop it or pass another --metrics-port`,
          );
          return true;
        },
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("refuses a bad port or host with a user error", async () => {
    const base = { host: "127.0.0.1", registry: new Registry(), health: async () => ({ ok: true }) };
    await assert.rejects(
      startMetricsServer({ ...base, port: 70_000 }),
      /--metrics-port 70000 is not a port number/,
    );
    await assert.rejects(
      startMetricsServer({ ...base, host: "192.0.2.1", port: 0, hostFlag: "--metrics-host" }),
      (error: unknown) =>
        error instanceof UserInputError && /--metrics-host 192\.0\.2\.1/.test(error.message),
    );
  });

  it("closes when the signal aborts, even with a keep-alive scraper connected", async () => {
    const controller = new AbortController();
    const server = await startMetricsServer({
      host: "127.0.0.1",
      port: 0,
      registry: registryWithGauge(),
      health: async () => ({ ok: true }),
      signal: controller.signal,
    });
    assert.equal((await fetch(`${server.url}/metrics`)).status, 200); // leaves a keep-alive socket
    controller.abort();
    await server.close();
    await assert.rejects(fetch(`${server.url}/metrics`));
    await server.close(); // idempotent
  });

  it("does not start when already aborted", async () => {
    await assert.rejects(
      startMetricsServer({
        host: "127.0.0.1",
        port: 0,
        registry: new Registry(),
        health: async () => ({ ok: true }),
        signal: AbortSignal.abort(),
      }),
      { name: "AbortedError" },
    );
  });
});
