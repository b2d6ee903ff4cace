/** Where progress goes: a terminal's stderr gets a rewritten line; `now` times the rate. */
export interface ProgressIo {
  stderr: { write(text: string): unknown; isTTY?: boolean };
  now: () => number;
}

/** Count, rate and time left on one rewritten stderr line, only on a terminal and for several files. */
export function createProgress(total: number, io: ProgressIo, unit = 'files') {
  const live = Boolean(io.stderr.isTTY) && total > 1;
  const started = io.now();
  let done = 0;
  let shown = false;
  const clear = () => {
    if (shown) io.stderr.write('\r\u001b[K');
    shown = false;
  };
  return {
    line(text: string, stream: { write(text: string): unknown } = io.stderr) {
      clear();
      stream.write(`${text}\n`);
    },
    tick() {
      done++;
      if (!live) return;
      const seconds = Math.max((io.now() - started) / 1000, 0.001);
      const rate = done / seconds;
      const left = Math.round((total - done) / rate);
      io.stderr.write(
        `\r\u001b[K[${done}/${total}] ${rate.toFixed(rate < 10 ? 1 : 0)} ${unit}/s, ${left} s left`,
      );
      shown = true;
    },
    done: clear,
  };
}
