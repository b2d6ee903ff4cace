import ask from './ask.ts';
import digest from './digest.ts';
import sources from './sources.ts';

/** Every command the bot serves and `npm run discord:register` registers. */
export const allCommands = [ask, sources, digest];
