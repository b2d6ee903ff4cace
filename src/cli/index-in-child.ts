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
