// The SM2 worker pool (worker_threads): every signature — bulk or single, from a job or a request
// handler — is made here, so a busy batch never blocks the thread that serves pages. Verification
// can go through it too. Sized to the cores, started on first use, with a queue.
//
// Workers run lib/crypto/sign-worker.mjs, a plain ES module located on disk at run time (not
// bundled): next to this file when it runs from source (tsx, vitest), otherwise
// <cwd>/lib/crypto/sign-worker.mjs, which is where `next start` runs from (scripts/start.ts). The
// worker holds the key-encryption key and receives only wrapped private keys: a plaintext key
// exists only inside a worker, for the duration of one signature. If no worker can start, the pool
// signs in the calling thread (same results, no isolation) and warns once.
import "server-only";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { env } from "@/lib/env";
import { sm2Prepare, sm2Sign, sm2Verify, type PreparedPublicKey } from "@/lib/crypto/sm2";
import { KeyUnwrapError, unwrapKey } from "@/lib/crypto/sm4";

export type SignJob = {
  /** wrapKey(KEK, privateKey, aad) as stored by the key store */
  wrappedKey: Uint8Array;
  /** the additional data the key was wrapped with (the key id) */
  aad: string;
  /** 04‖x‖y in hex: SM2 needs it for Z */
  publicKey: string;
  data: Uint8Array;
};

export type VerifyJob = {
  publicKey: string;
  data: Uint8Array;
  /** DER SEQUENCE { r, s } */
  signature: Uint8Array;
  /** precompute this key at once (issuer keys that verify many signatures) */
  hot?: boolean;
};

export type PoolErrorCode = "UNWRAP" | "NO_KEK" | "BAD_INPUT" | "WORKER" | "CLOSED";

export class SignPoolError extends Error {
  constructor(
    readonly code: PoolErrorCode,
    message: string,
    /** position of the failing item in a batch */
    readonly index: number | null = null,
  ) {
    super(message);
    this.name = "SignPoolError";
  }
}

export const WORKER_FILE = "sign-worker.mjs";

/** Where the worker file is: beside this module when it runs from source, else under the cwd. */
export function resolveWorkerFile(moduleUrl: string = import.meta.url, cwd: string = process.cwd()): string | null {
  const candidates: string[] = [];
  if (process.env.CERTSEAL_SIGN_WORKER) candidates.push(process.env.CERTSEAL_SIGN_WORKER);
  if (moduleUrl.startsWith("file:")) candidates.push(path.join(path.dirname(fileURLToPath(moduleUrl)), WORKER_FILE));
  candidates.push(path.join(cwd, "lib", "crypto", WORKER_FILE));
  return candidates.find((c) => existsSync(c)) ?? null;
}

export function defaultPoolSize(): number {
  return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

type Op = "sign" | "verify" | "ping";
type Task = { op: Op; items: unknown[]; resolve: (r: unknown[]) => void; reject: (e: Error) => void };
type Queues = { urgent: Task[]; bulk: Task[] };
type Slot = { worker: Worker; ready: boolean; task: Task | null; id: number };
type Reply =
  | { ready: true }
  | { id: number; ok: true; results: unknown[] }
  | { id: number; ok: false; error: { code: string; message: string; index: number | null } };

const START_TIMEOUT_MS = 15_000;
const MAX_CRASHES = 10;

export type SignPoolOptions = {
  /** the key-encryption key (32 bytes); without it the pool can only verify */
  kek?: Uint8Array;
  /** number of workers; default: the available cores */
  size?: number;
  /** sign in the calling thread, never start workers (for comparison in the bench) */
  inThread?: boolean;
  workerFile?: string | null;
};

export class SignPool {
  readonly size: number;
  private readonly kek: Uint8Array | undefined;
  private readonly workerFile: string | null;
  private state: "idle" | "workers" | "in-thread" | "closed";
  private slots: Slot[] = [];
  // Small requests (a page's single signature) go before the chunks of a batch already queued.
  private queue: Queues = { urgent: [], bulk: [] };
  private everReady = false;
  private crashes = 0;
  private nextId = 1;
  private startTimer: NodeJS.Timeout | null = null;
  private readonly prepared = new Map<string, PreparedPublicKey>();

  constructor(opts: SignPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(opts.size ?? defaultPoolSize()));
    if (opts.kek && opts.kek.length !== 32) throw new Error("the key-encryption key must be 32 bytes");
    this.kek = opts.kek ? Uint8Array.from(opts.kek) : undefined;
    this.workerFile = opts.workerFile === undefined ? resolveWorkerFile() : opts.workerFile;
    this.state = opts.inThread ? "in-thread" : "idle";
  }

  /** "idle" until first use; "in-thread" when workers could not start. */
  get mode(): "idle" | "workers" | "in-thread" | "closed" {
    return this.state;
  }

  async sign(job: SignJob): Promise<Uint8Array> {
    const [r] = await this.signMany([job]);
    return r;
  }

  /** Signatures in the order of `jobs`; the whole batch fails if one item does (its index is on the error). */
  signMany(jobs: SignJob[]): Promise<Uint8Array[]> {
    for (const j of jobs) if (!(j.data instanceof Uint8Array) || !(j.wrappedKey instanceof Uint8Array)) throw new SignPoolError("BAD_INPUT", "data and wrappedKey must be bytes");
    const items = jobs.map((j) => ({ wrappedKey: own(j.wrappedKey), aad: j.aad, publicKey: j.publicKey, data: own(j.data) }));
    return this.run("sign", items) as Promise<Uint8Array[]>;
  }

  async verify(job: VerifyJob): Promise<boolean> {
    const [r] = await this.verifyMany([job]);
    return r;
  }

  verifyMany(jobs: VerifyJob[]): Promise<boolean[]> {
    const items = jobs.map((j) => ({ publicKey: j.publicKey, data: own(j.data), signature: own(j.signature), hot: Boolean(j.hot) }));
    return this.run("verify", items) as Promise<boolean[]>;
  }

  /** Starts the workers ahead of the first signature (e.g. at server start); resolves once one answers. */
  async warmUp(): Promise<void> {
    await this.run("ping", [null]);
  }

  async close(): Promise<void> {
    this.state = "closed";
    if (this.startTimer) clearTimeout(this.startTimer);
    const slots = this.slots;
    this.slots = [];
    for (const t of this.takeAll()) t.reject(new SignPoolError("CLOSED", "the signing pool was closed"));
    for (const s of slots) s.task?.reject(new SignPoolError("CLOSED", "the signing pool was closed"));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  // ---- scheduling ------------------------------------------------------------------------------

  private async run(op: Op, items: unknown[]): Promise<unknown[]> {
    if (this.state === "closed") throw new SignPoolError("CLOSED", "the signing pool was closed");
    if (items.length === 0) return [];
    if (this.state === "idle") this.start();
    // Several chunks per worker keep every core busy and let single signatures slip in between.
    const chunk = Math.max(1, Math.min(64, Math.ceil(items.length / (this.size * 4))));
    const queue = items.length <= this.size ? this.queue.urgent : this.queue.bulk;
    const parts: Promise<unknown[]>[] = [];
    for (let i = 0; i < items.length; i += chunk) {
      const part = items.slice(i, i + chunk);
      const offset = i;
      parts.push(
        new Promise<unknown[]>((resolve, reject) => queue.push({ op, items: part, resolve, reject })).catch((e: unknown) => {
          if (e instanceof SignPoolError && e.index !== null) throw new SignPoolError(e.code, e.message, e.index + offset);
          throw e;
        }),
      );
    }
    this.dispatch();
    return (await Promise.all(parts)).flat();
  }

  private start() {
    if (!this.workerFile) return this.fallBack(`${WORKER_FILE} was not found`);
    this.state = "workers";
    for (let i = 0; i < this.size && this.state === "workers"; i++) this.spawn();
    this.startTimer = setTimeout(() => {
      if (!this.everReady && this.state === "workers") this.fallBack(`no worker was ready after ${START_TIMEOUT_MS / 1000} s`);
    }, START_TIMEOUT_MS);
    this.startTimer.unref();
  }

  private spawn(): boolean {
    let worker: Worker;
    try {
      worker = new Worker(this.workerFile!, {
        workerData: { kek: this.kek },
        // a clean Node: no tsx or vitest loaders, no copy of the process's secrets
        execArgv: [],
        env: {},
      });
    } catch (e) {
      if (!this.everReady && this.slots.length === 0) this.fallBack((e as Error).message);
      else if (++this.crashes > MAX_CRASHES) this.fallBack((e as Error).message);
      return false;
    }
    const slot: Slot = { worker, ready: false, task: null, id: 0 };
    this.slots.push(slot);
    worker.on("message", (m: Reply) => this.onMessage(slot, m));
    worker.on("error", (e) => this.onExit(slot, e));
    worker.on("exit", (code) => this.onExit(slot, new Error(`worker exited with code ${code}`)));
    return true;
  }

  private onMessage(slot: Slot, m: Reply) {
    if ("ready" in m) {
      slot.ready = true;
      this.everReady = true;
      if (this.startTimer) clearTimeout(this.startTimer);
      this.dispatch();
      return;
    }
    const task = slot.task;
    if (!task || m.id !== slot.id) return;
    slot.task = null;
    if (m.ok) task.resolve(m.results);
    else task.reject(new SignPoolError(asCode(m.error.code), m.error.message, m.error.index));
    this.dispatch();
  }

  private onExit(slot: Slot, e: Error) {
    if (!this.slots.includes(slot)) return;
    this.slots = this.slots.filter((s) => s !== slot);
    if (this.state === "closed") return;
    slot.task?.reject(new SignPoolError("WORKER", `a signing worker failed: ${e.message}`));
    slot.task = null;
    if (!this.everReady) {
      if (this.slots.length === 0) this.fallBack(e.message);
      return;
    }
    if (++this.crashes > MAX_CRASHES) return this.fallBack(`workers failed ${this.crashes} times, last: ${e.message}`);
    this.dispatch();
  }

  private dispatch() {
    if (this.state === "in-thread") return this.drainInThread();
    if (this.state !== "workers") return;
    while (this.slots.length < this.size && this.pending() > 0 && this.everReady) if (!this.spawn()) break;
    if (this.state !== "workers") return; // spawn may have fallen back
    for (const slot of this.slots) {
      if (!slot.ready || slot.task) continue;
      const task = this.queue.urgent.shift() ?? this.queue.bulk.shift();
      if (!task) break;
      slot.task = task;
      slot.id = this.nextId++;
      slot.worker.postMessage({ id: slot.id, op: task.op, items: task.items });
    }
    this.updateRefs();
  }

  /** Workers keep the process alive only while there is work for them (a script can then exit). */
  private updateRefs() {
    const waiting = this.pending() > 0;
    for (const s of this.slots) {
      if (s.task || (!s.ready && waiting)) s.worker.ref();
      else s.worker.unref();
    }
  }

  private fallBack(reason: string) {
    if (this.state === "closed" || this.state === "in-thread") return;
    console.warn(`certseal: signing workers could not start (${reason}); signing in the main thread instead`);
    this.state = "in-thread";
    for (const s of this.slots) void s.worker.terminate();
    this.slots = [];
    this.drainInThread();
  }

  private pending(): number {
    return this.queue.urgent.length + this.queue.bulk.length;
  }

  private takeAll(): Task[] {
    return [...this.queue.urgent.splice(0), ...this.queue.bulk.splice(0)];
  }

  private drainInThread() {
    const tasks = this.takeAll();
    for (const t of tasks) {
      setImmediate(() => {
        try {
          t.resolve(t.op === "sign" ? this.signHere(t.items as SignJob[]) : t.op === "verify" ? this.verifyHere(t.items as VerifyJob[]) : []);
        } catch (e) {
          t.reject(e as Error);
        }
      });
    }
  }

  private signHere(items: SignJob[]): Uint8Array[] {
    if (!this.kek) throw new SignPoolError("NO_KEK", "this pool was started without a key-encryption key");
    return items.map((job, index) => {
      let key: Buffer;
      try {
        key = unwrapKey(this.kek!, job.wrappedKey, job.aad);
      } catch (e) {
        const msg = e instanceof KeyUnwrapError ? e.message : "wrapped key could not be decrypted";
        throw new SignPoolError("UNWRAP", msg, index);
      }
      if (key.length !== 32) throw new SignPoolError("UNWRAP", "wrapped key does not hold a 32-byte SM2 private key", index);
      const hex = key.toString("hex");
      key.fill(0);
      try {
        return sm2Sign(hex, job.publicKey, job.data);
      } catch (e) {
        throw new SignPoolError("BAD_INPUT", (e as Error).message, index);
      }
    });
  }

  private verifyHere(items: VerifyJob[]): boolean[] {
    return items.map((j) => {
      let key: string | PreparedPublicKey = j.publicKey;
      if (j.hot) {
        try {
          key = this.prepared.get(j.publicKey) ?? sm2Prepare(j.publicKey);
          this.prepared.set(j.publicKey, key);
          if (this.prepared.size > 64) this.prepared.delete(this.prepared.keys().next().value!);
        } catch {
          return false;
        }
      }
      return sm2Verify(key, j.data, j.signature);
    });
  }
}

/** A tightly-sized copy, so structured cloning does not carry a whole shared ArrayBuffer along. */
function own(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : Uint8Array.from(b);
}

function asCode(c: string): PoolErrorCode {
  return c === "UNWRAP" || c === "NO_KEK" || c === "BAD_INPUT" ? c : "WORKER";
}

const g = globalThis as unknown as { __certsealSignPool?: SignPool };

/** The process's pool (on globalThis, like the Prisma client), holding CERTSEAL_KEK. */
export function signPool(): SignPool {
  if (!g.__certsealSignPool || g.__certsealSignPool.mode === "closed") g.__certsealSignPool = new SignPool({ kek: Buffer.from(env().CERTSEAL_KEK, "hex") });
  return g.__certsealSignPool;
}
