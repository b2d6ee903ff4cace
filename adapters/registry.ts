import type { AdapterDefinition } from '../src/adapter.ts';
import { discordAdapter } from './discord/index.ts';
import { slackAdapter } from './slack/index.ts';
import { terminalAdapter } from './terminal/index.ts';

/**
 * Every platform peacedesk can run on, one line each (README "Adding a platform"). `npm start`
 * runs each whose settings are present, or the console one (the terminal chat) when none are.
 */
export const ADAPTERS: readonly AdapterDefinition<never>[] = [slackAdapter, discordAdapter, terminalAdapter];
