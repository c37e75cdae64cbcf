/**
 * The page's side of a worker started from a Blob URL of the bundled worker
 * code (a worker loaded from a file is refused under file://). Requests are
 * answered in order; cancel() terminates the worker, so even a long
 * computation stops at once, and the next request starts a new one.
 */
import type { Answers, Reply, Request, WorkerError } from "./protocol.ts";

/** A request that ended because the worker was terminated. */
export class Cancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "Cancelled";
  }
}

/** An error the worker reported, with its kind (InputError, ComputeError, …). */
export class WorkerFailure extends Error {
  readonly kind: string;
  constructor(error: WorkerError) {
    super(error.message);
    this.name = "WorkerFailure";
    this.kind = error.name;
  }
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress?: (fraction: number, label: string) => void;
}

export class WorkerClient {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly url: string) {}

  request<K extends Request["kind"]>(
    request: Extract<Request, { kind: K }>,
    onProgress?: (fraction: number, label: string) => void,
  ): Promise<Answers[K]> {
    const id = this.nextId++;
    const worker = this.started();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress });
      worker.postMessage({ id, request });
    });
  }

  /** Stops the worker and whatever it computes; pending requests fail with Cancelled. */
  cancel(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new Cancelled());
    this.pending.clear();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.url, { name: "crtkit" });
    worker.onmessage = (event: MessageEvent<Reply>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.failAll(new WorkerFailure({ name: "Error", message: event.message || "the worker stopped" }));
    };
    this.worker = worker;
    return worker;
  }

  private receive(reply: Reply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.type === "progress") {
      p.onProgress?.(reply.fraction, reply.label);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.type === "result") p.resolve(reply.value);
    else p.reject(new WorkerFailure(reply.error));
  }

  private failAll(error: Error): void {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

/** A Blob URL of the worker's code, for any number of workers. */
export function workerUrl(source: string): string {
  return URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
}
