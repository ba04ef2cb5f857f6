import { createLogger } from '@platform/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPython, KernelFailedError, KernelUnavailableError, runKernel, type KernelEvent } from '../src/index.js';
import { tempDir } from './helpers.js';

const PYTHON = '/usr/bin/python3';

// A stand-in kernel speaking the protocol of DESIGN.md section 7, one command per behaviour.
const KERNEL = String.raw`
import json, signal, sys, time

def emit(**event):
    print(json.dumps(event), flush=True)

command = sys.argv[1]
request = json.load(sys.stdin)
if command == "train":
    emit(event="progress", fraction=0.5, message="half")
    print("a stray print from some library", flush=True)
    emit(event="metrics", epoch=1, loss=0.25, accuracy=0.9)
    emit(event="log", message="hello")
    emit(event="artifact", path="model.onnx")
    print("warming up", file=sys.stderr, flush=True)
    emit(event="result", status="ok", echo=request)
elif command == "bad-input":
    emit(event="error", kind="user", message="epochs must be positive")
    sys.exit(2)
elif command == "crash":
    raise RuntimeError("boom")
elif command == "no-result":
    emit(event="progress", fraction=1.0)
elif command == "cancellable":
    def on_term(signum, frame):
        emit(event="result", status="cancelled")
        sys.exit(0)
    signal.signal(signal.SIGTERM, on_term)
    emit(event="progress", fraction=0.0)
    time.sleep(60)
elif command == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    emit(event="progress", fraction=0.0)
    time.sleep(60)
`;

let dir: Awaited<ReturnType<typeof tempDir>>;
const logged: { msg: string; stream?: string; line?: string }[] = [];
const logger = createLogger({
  service: 'ml-test',
  destination: { write: (line: string) => logged.push(JSON.parse(line) as (typeof logged)[number]) },
});

beforeAll(async () => {
  dir = await tempDir('kernel');
  await mkdir(join(dir.path, 'fakekernel'));
  await writeFile(join(dir.path, 'fakekernel', '__init__.py'), '');
  await writeFile(join(dir.path, 'fakekernel', '__main__.py'), KERNEL);
});
afterAll(async () => {
  await dir.remove();
});

function run(command: string, extra: { signal?: AbortSignal; graceMs?: number; onEvent?: (event: KernelEvent) => void } = {}) {
  return runKernel({
    python: PYTHON,
    module: 'fakekernel',
    cwd: dir.path,
    command,
    request: { epochs: 1 },
    logger,
    ...extra,
  });
}

/** Resolves `started` at the kernel's first progress event: it is running and has set its signal handler. */
function whenStarted(): { onEvent: (event: KernelEvent) => void; started: Promise<void> } {
  let resolve: (() => void) | undefined;
  const started = new Promise<void>((done) => {
    resolve = done;
  });
  return {
    onEvent: (event) => {
      if (event.event === 'progress') resolve?.();
    },
    started,
  };
}

describe('runKernel', () => {
  it('passes the request, streams typed events, skips stray lines and resolves with the result', async () => {
    const events: KernelEvent[] = [];
    const result = await run('train', { onEvent: (event) => events.push(event) });
    expect(result).toEqual({ event: 'result', status: 'ok', echo: { epochs: 1 } });
    expect(events.map((event) => event.event)).toEqual(['progress', 'metrics', 'log', 'artifact', 'result']);
    expect(events[1]).toEqual({ event: 'metrics', epoch: 1, loss: 0.25, accuracy: 0.9 });
    expect(logged).toContainEqual(expect.objectContaining({ stream: 'stderr', msg: 'warming up' }));
    expect(logged).toContainEqual(expect.objectContaining({ line: 'a stray print from some library' }));
  });

  it('turns an error event into a KernelFailedError of its kind', async () => {
    const error = (await run('bad-input').catch((caught: unknown) => caught)) as KernelFailedError;
    expect(error).toBeInstanceOf(KernelFailedError);
    expect(error).toMatchObject({ kind: 'user', code: 2, cancelled: false });
    expect(error.message).toContain('epochs must be positive');
  });

  it('reports a crash as a system failure with the end of stderr', async () => {
    const error = (await run('crash').catch((caught: unknown) => caught)) as KernelFailedError;
    expect(error).toBeInstanceOf(KernelFailedError);
    expect(error).toMatchObject({ kind: 'system', code: 1 });
    expect(error.stderrTail).toContain('RuntimeError: boom');
  });

  it('fails a run that exits 0 without a result', async () => {
    await expect(run('no-result')).rejects.toMatchObject({
      name: 'KernelFailedError',
      kind: 'system',
      code: 0,
    });
  });

  it('fails when the module does not exist', async () => {
    const missing = runKernel({
      python: PYTHON,
      module: 'nokernel',
      cwd: dir.path,
      command: 'x',
      request: {},
      logger,
    });
    await expect(missing).rejects.toMatchObject({ name: 'KernelFailedError', kind: 'system', code: 1 });
  });

  it('reports an interpreter that cannot be started as unavailable', async () => {
    const run = runKernel({
      python: '/nonexistent/python3',
      module: 'fakekernel',
      cwd: dir.path,
      command: 'train',
      request: {},
      logger,
    });
    await expect(run).rejects.toBeInstanceOf(KernelUnavailableError);
  });

  it('cancels with SIGTERM: the kernel answers with its cancelled result', async () => {
    const controller = new AbortController();
    const { onEvent, started } = whenStarted();
    const running = run('cancellable', { signal: controller.signal, onEvent });
    await started;
    controller.abort();
    await expect(running).resolves.toMatchObject({ event: 'result', status: 'cancelled' });
  });

  it('kills a kernel that ignores SIGTERM once the grace is over', async () => {
    const controller = new AbortController();
    const { onEvent, started } = whenStarted();
    const running = run('stubborn', { signal: controller.signal, onEvent, graceMs: 300 });
    await started;
    const abortedAt = Date.now();
    controller.abort();
    await expect(running).rejects.toMatchObject({
      name: 'KernelFailedError',
      cancelled: true,
      signal: 'SIGKILL',
    });
    const waited = Date.now() - abortedAt;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(5000);
  });
});

describe('findPython', () => {
  it('refuses a bogus PLATFORM_PYTHON, saying what to install', async () => {
    const error = await findPython('/nonexistent/python3').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KernelUnavailableError);
    expect((error as Error).message).toContain('PLATFORM_PYTHON=/nonexistent/python3');
    expect((error as Error).message).toContain('python3-torch');
    expect((error as Error).message).toContain('libopenblas0-openmp');
  });

  it('refuses when no candidate imports torch', async () => {
    await expect(findPython(undefined, ['/nonexistent/python3', 'false'])).rejects.toBeInstanceOf(KernelUnavailableError);
  });

  it('finds the interpreter that imports torch', async () => {
    await expect(findPython(undefined, ['/nonexistent/python3', PYTHON])).resolves.toBe(PYTHON);
  });
});
