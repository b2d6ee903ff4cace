import { fork } from 'node:child_process';

/**
 * Run `entry` (the bot's own entry point) with `--build-index` in a child process, with the same
 * Node flags and loader (tsx) as this process; resolves once it has saved the index snapshot.
 */
export function buildIndexInChild(entry: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(entry, ['--build-index'], {
      execArgv: process.execArgv,
      env: { ...env, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`index build ${signal ? `killed by ${signal}` : `exited with code ${code}`}`));
    });
  });
}

/** Sentences sent to the embedding process per message. */
const TEXTS_PER_MESSAGE = 512;

/**
 * Run `entry` with `--embed-sentences` in a child process and have it embed `texts` (with the
 * sentence model, in its own memory and CPU time, so answers here are not held up): `onVectors`
 * gets each batch back as int8 vectors, `dimensions` bytes each. Resolves when all are done.
 */
export function embedInChild(
  entry: string,
  texts: readonly string[],
  onVectors: (texts: string[], vectors: Int8Array) => void,
  env: NodeJS.ProcessEnv = process.env,
): { done: Promise<void>; stop: () => void } {
  const child = fork(entry, ['--embed-sentences'], {
    execArgv: process.execArgv,
    env: { ...env, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('message', (message: { texts: string[]; vectors: Int8Array }) => {
      onVectors(message.texts, message.vectors);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`sentence embedding ${signal ? `killed by ${signal}` : `exited with code ${code}`}`),
        );
    });
  });
  for (let i = 0; i < texts.length; i += TEXTS_PER_MESSAGE)
    child.send({ texts: texts.slice(i, i + TEXTS_PER_MESSAGE) });
  child.send({ end: true });
  return { done, stop: () => child.kill() };
}
