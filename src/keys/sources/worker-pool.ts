import { parentPort, type Transferable, Worker } from "node:worker_threads";
import { OperatorError } from "../../lib/errors.ts";

/** What a pool worker answers for one task: the result, or the error as plain data. */
export type WorkerReply<TResult> =
  | { id: number; ok: true; result: TResult }
  | { id: number; ok: false; error: WorkerFailure };

/** An error thrown inside a worker, flattened so it survives postMessage. */
export interface WorkerFailure {
  /** A machine-readable kind the caller maps to its own error types. */
  code: string;
  message: string;
}

/** The error a task rejects with when its worker threw. */
export class WorkerTaskError extends OperatorError {
  override name = "WorkerTaskError";
  readonly code: string;
  constructor(failure: WorkerFailure) {
    super(failure.message);
    this.code = failure.code;
  }
}

export interface WorkerPoolOptions {
  /** The worker module (it calls `serveWorkerTasks`). */
  workerUrl: URL;
  /** Most workers alive at once; each runs one task at a time. */
  size: number;
  /** Names the pool in errors. */
  name: string;
}

interface QueuedTask {
  id: number;
  task: unknown;
  transferList: readonly Transferable[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface PoolWorker {
  worker: Worker;
  current: QueuedTask | undefined;
}

/**
 * A small pool of worker threads for CPU-bound tasks (a keystore KDF takes ~0.8 s), so the event
 * loop keeps running. Workers start on first use and never keep the process alive while idle;
 * a crashed worker fails only its own task and is replaced on the next one.
 */
export class WorkerPool<TTask, TResult> {
  readonly #options: WorkerPoolOptions;
  readonly #workers: PoolWorker[] = [];
  readonly #queue: QueuedTask[] = [];
  #nextId = 0;
  #closed = false;

  constructor(options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new OperatorError(`worker pool ${options.name}: size must be a positive integer`);
    }
    this.#options = options;
  }

  /** Runs one task on the next free worker. */
  run(task: TTask, transferList: readonly Transferable[] = []): Promise<TResult> {
    if (this.#closed) {
      return Promise.reject(new OperatorError(`worker pool ${this.#options.name} is closed`));
    }
    return new Promise<TResult>((resolve, reject) => {
      this.#queue.push({
        id: this.#nextId++,
        task,
        transferList,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.#dispatch();
    });
  }

  /** Tasks waiting for a worker plus tasks running. */
  get pending(): number {
    return this.#queue.length + this.#workers.filter((w) => w.current).length;
  }

  /** Stops every worker; running and queued tasks reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new OperatorError(`worker pool ${this.#options.name} is closed`);
    for (const queued of this.#queue.splice(0)) queued.reject(closed);
    const workers = this.#workers.splice(0);
    for (const poolWorker of workers) poolWorker.current?.reject(closed);
    await Promise.all(workers.map((poolWorker) => poolWorker.worker.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const poolWorker = this.#workers.find((w) => !w.current) ?? this.#spawn();
      if (!poolWorker) return;
      const queued = this.#queue.shift() as QueuedTask;
      poolWorker.current = queued;
      poolWorker.worker.ref();
      poolWorker.worker.postMessage({ id: queued.id, task: queued.task }, queued.transferList);
    }
  }

  #spawn(): PoolWorker | undefined {
    if (this.#workers.length >= this.#options.size) return undefined;
    const worker = new Worker(this.#options.workerUrl);
    const poolWorker: PoolWorker = { worker, current: undefined };
    this.#workers.push(poolWorker);

    worker.on("message", (reply: WorkerReply<TResult>) => {
      const current = poolWorker.current;
      if (!current || current.id !== reply.id) return;
      poolWorker.current = undefined;
      worker.unref();
      if (reply.ok) current.resolve(reply.result);
      else current.reject(new WorkerTaskError(reply.error));
      this.#dispatch();
    });
    const fail = (error: OperatorError) => {
      const index = this.#workers.indexOf(poolWorker);
      if (index === -1) return;
      this.#workers.splice(index, 1);
      poolWorker.current?.reject(error);
      poolWorker.current = undefined;
      if (!this.#closed) this.#dispatch();
    };
    worker.on("error", (error) =>
      fail(new OperatorError(`worker pool ${this.#options.name}: a worker crashed`, { cause: error })),
    );
    worker.on("exit", (code) =>
      fail(new OperatorError(`worker pool ${this.#options.name}: a worker exited with code ${code}`)),
    );
    return poolWorker;
  }
}

/**
 * The worker side: answers every task with `handle`'s result. A thrown error with a string
 * `code` keeps it; any other error becomes code "error".
 */
export function serveWorkerTasks<TTask, TResult>(
  handle: (task: TTask) => Promise<{ result: TResult; transferList?: readonly Transferable[] }>,
): void {
  const port = parentPort;
  if (!port) throw new Error("serveWorkerTasks must run in a worker thread");
  port.on("message", (message: { id: number; task: TTask }) => {
    handle(message.task).then(
      ({ result, transferList }) => {
        const reply: WorkerReply<TResult> = { id: message.id, ok: true, result };
        port.postMessage(reply, transferList);
      },
      (error: unknown) => {
        const code = (error as { code?: unknown }).code;
        const reply: WorkerReply<TResult> = {
          id: message.id,
          ok: false,
          error: {
            code: typeof code === "string" ? code : "error",
            message: error instanceof Error ? error.message : String(error),
          },
        };
        port.postMessage(reply);
      },
    );
  });
}
