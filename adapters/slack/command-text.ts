// The parser lives in the core (the terminal chat reads the same subcommands); Slack re-exports it.
export { type CommandRequest, parseCommandText } from '../../src/command-text.ts';
