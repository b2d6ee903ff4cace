import add from './add.ts';
import ask from './ask.ts';
import compare from './compare.ts';
import digest from './digest.ts';
import findSources from './find-sources.ts';
import gaps from './gaps.ts';
import sources from './sources.ts';
import timeline from './timeline.ts';

/** Every command the bot serves and `npm run discord:register` registers. */
export const allCommands = [ask, compare, timeline, sources, digest, gaps, add, findSources];
