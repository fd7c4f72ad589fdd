import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WorkerPool, WorkerTaskError } from "./worker-pool.ts";

type Task = { op: "echo"; value: number } | { op: "fail"; code?: string } | { op: "crash" } | { op: "sleep" };

/** A worker written inline: it serves tasks with the real serveWorkerTasks. */
const WORKER_SOURCE = `
import { serveWorkerTasks } from ${JSON.stringify(new URL("./worker-pool.ts", import.meta.url).href)};
import { threadId } from "node:worker_threads";
serveWorkerTasks(async (task) => {
  if (task.op === "echo") return { result: { value: task.value * 2, threadId } };
  if (task.op === "sleep") { await new Promise((r) => setTimeout(r, 50)); return { result: { value: 0, threadId } }; }
  if (task.op === "crash") process.exit(3);
  const error = new Error("asked to fail");
  if (task.code) error.code = task.code;
  throw error;
});
`;
const workerUrl = new URL(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`);

function pool(size: number) {
  return new WorkerPool<Task, { value: number; threadId: number }>({ workerUrl, size, name: "test" });
}

describe("WorkerPool", () => {
  it("runs tasks and returns their results", async () => {
    const p = pool(2);
    try {
      const results = await Promise.all([1, 2, 3, 4, 5].map((value) => p.run({ op: "echo", value })));
      assert.deepEqual(
        results.map((r) => r.value),
        [2, 4, 6, 8, 10],
      );
      assert.ok(new Set(results.map((r) => r.threadId)).size <= 2, "never more workers than its size");
      assert.equal(p.pending, 0);
    } finally {
      await p.close();
    }
  });

  it("rejects with the worker's error code and keeps serving", async () => {
    const p = pool(1);
    try {
      await assert.rejects(p.run({ op: "fail", code: "password-wrong" }), (error: unknown) => {
        assert.ok(error instanceof WorkerTaskError);
        assert.equal(error.code, "password-wrong");
        assert.equal(error.message, "asked to fail");
        return true;
      });
      await assert.rejects(p.run({ op: "fail" }), { code: "error" });
      assert.equal((await p.run({ op: "echo", value: 21 })).value, 42);
    } finally {
      await p.close();
    }
  });

  it("fails only the task of a crashed worker and replaces the worker", async () => {
    const p = pool(1);
    try {
      const crashed = p.run({ op: "crash" });
      const next = p.run({ op: "echo", value: 5 });
      await assert.rejects(crashed, /exited with code 3/);
      assert.equal((await next).value, 10);
    } finally {
      await p.close();
    }
  });

  it("rejects running and queued tasks on close, and every task after", async () => {
    const p = pool(1);
    const running = assert.rejects(p.run({ op: "sleep" }), /closed/);
    const queued = assert.rejects(p.run({ op: "echo", value: 1 }), /closed/);
    await p.close();
    await running;
    await queued;
    await assert.rejects(p.run({ op: "echo", value: 1 }), /closed/);
  });

  it("refuses a size below one", () => {
    assert.throws(() => pool(0), /positive integer/);
  });
});
