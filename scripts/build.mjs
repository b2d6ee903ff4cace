/**
 * `npm run build`: bundle the bot (and the benchmark's start-up probe) into dist/ with esbuild,
 * packages left external. `npm start` runs this first (about 0.1 s), so the bot itself starts
 * without a TypeScript loader in the process: tsx cost ~0.5 s of every start at 10k articles.
 * `npm run dev` runs the sources through tsx instead. Usage: node scripts/build.mjs
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

await build({
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
  entryPoints: { main: 'src/main.ts', 'bench-startup': 'bench/startup.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
