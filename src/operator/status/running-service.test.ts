import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { readRunningService } from "./running-service.ts";

/** A loopback server answering /health with `status` and `body`. */
async function healthServer(status: number, body: unknown): Promise<{ server: Server; port: number }> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
});
const ask = (port: number, enableMetrics = true) =>
  readRunningService({
    enableMetrics,
    metricsHost: "127.0.0.1",
    metricsPort: port,
    timeoutMs: 2000,
    signal: new AbortController().signal,
  });

describe("readRunningService", () => {
  it("asks nothing without --enable-metrics", async () => {
    assert.deepEqual(await ask(1, false), {
      health: null,
      running: null,
      healthy: null,
      lastSlot: null,
      tasks: null,
      error: null,
    });
  });

  it("reads a healthy service's last round", async () => {
    const { server, port } = await healthServer(200, {
      ok: true,
      details: {
        lastSlot: 42,
        tasks: { registration: { state: "waiting", since: 1, waitingFor: "assets", reason: "0 ETH" } },
      },
    });
    servers.push(server);
    assert.deepEqual(await ask(port), {
      health: `http://127.0.0.1:${port}/health`,
      running: true,
      healthy: true,
      lastSlot: 42,
      tasks: { registration: { state: "waiting", waitingFor: "assets", reason: "0 ETH" } },
      error: null,
    });
  });

  it("reads an unhealthy one (503) as running", async () => {
    const { server, port } = await healthServer(503, {
      ok: false,
      details: {
        reason: "the last 5 rounds failed",
        lastSlot: 7,
        tasks: { registration: { state: "failed" } },
      },
    });
    servers.push(server);
    const service = await ask(port);
    assert.equal(service.running, true);
    assert.equal(service.healthy, false);
    assert.equal(service.lastSlot, 7);
    assert.deepEqual(service.tasks, { registration: { state: "failed" } });
  });

  it("says none answers when nothing listens", async () => {
    const { server, port } = await healthServer(200, {});
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const service = await ask(port);
    assert.equal(service.running, false);
    assert.match(service.error ?? "", new RegExp(`127\\.0\\.0\\.1:${port}`));
  });
});
