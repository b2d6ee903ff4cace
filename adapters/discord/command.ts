import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIModalInteractionResponseCallbackData,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import { z } from 'zod';
import type { Engine } from '../../src/answering/engine.ts';
import type { Clock } from '../../src/clock.ts';
import type { AskService } from '../../src/conversation/ask-service.ts';
import type { RateLimiter } from '../../src/conversation/rate-limit.ts';
import type { LinkAdder } from '../../src/corpus/link-adder.ts';
import type { Coverage } from '../../src/coverage/coverage.ts';
import type { DigestPreviewer } from '../../src/digest/types.ts';
import type { SourcesReport } from '../../src/find-sources/find-sources.ts';
import type { Logger } from '../../src/logger.ts';
import type { AuditLog, ThreadStore } from '../../src/store/types.ts';
import type { Suggester } from './suggest.ts';

/** A message the bot sends, as Discord's API JSON; `allowed_mentions` is added by the transport. */
export interface MessagePayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** Who asked, and where: the same in gateway and HTTP mode. */
export interface InteractionBase {
  /** The interaction's snowflake id (also the dedupe key and the answer id). */
  id: string;
  userId: string;
  channelId: string | null;
  guildId: string | null;
  /** The member's role ids in the guild (empty in DMs): who is an editor. */
  memberRoleIds?: readonly string[];
  /**
   * True in a DM, a group DM, or a server where only the user installed the app (not the server):
   * answers there are always private.
   */
  privateContext?: boolean;
}

/** A message the bot posted (what a thread is started from). */
export interface SentMessage {
  id: string;
}

/**
 * A slash command invocation. Gateway mode wraps a discord.js `ChatInputCommandInteraction`,
 * HTTP mode wraps the raw payload; commands cannot tell which.
 */
export interface SlashInteraction extends InteractionBase {
  commandName: string;
  getString(name: string): string | null;
  getBoolean(name: string): boolean | null;
  /** Acknowledge within Discord's 3 seconds; the answer follows with `editReply`. */
  deferReply(options: { ephemeral: boolean }): Promise<void>;
  reply(payload: MessagePayload, options: { ephemeral: boolean }): Promise<void>;
  editReply(payload: MessagePayload): Promise<SentMessage | undefined>;
  /** True once deferred or replied to. */
  readonly acknowledged: boolean;
  /** A message command's target message (its text), or null for a slash command. */
  targetMessage?: { id: string; content: string } | null;
}

/** An autocomplete request for one option of a command. */
export interface AutocompleteRequest extends InteractionBase {
  commandName: string;
  focused: { name: string; value: string };
  respond(choices: Array<{ name: string; value: string }>): Promise<void>;
}

/** A press on one of the bot's buttons. */
export interface ButtonPress extends InteractionBase {
  customId: string;
  reply(payload: MessagePayload, options: { ephemeral: boolean }): Promise<void>;
  /** Answer the press with a modal (a form), instead of a message. */
  showModal(modal: APIModalInteractionResponseCallbackData): Promise<void>;
  readonly acknowledged: boolean;
}

/** A submitted modal (the comment form after a 👎). */
export interface ModalSubmission extends InteractionBase {
  customId: string;
  /** The text typed into one of its inputs, or null when it has no such input. */
  value(inputId: string): string | null;
  reply(payload: MessagePayload, options: { ephemeral: boolean }): Promise<void>;
  readonly acknowledged: boolean;
}

/** What commands get by injection (the template's commands import globals; ours do not). */
export interface CommandContext {
  engine: Engine;
  audit: AuditLog;
  /** Absent until the digest service is wired; `/digest` then says so. */
  digest: DigestPreviewer | undefined;
  /** The ask service: rate limit, answer, audit and remember (every question goes through it). */
  asks: AskService;
  /** The per-user limiter the ask service uses, shared with "find sources". */
  limiter: RateLimiter;
  suggest: Suggester;
  clock: Clock;
  logger: Logger;
  /** Adds articles from links (`/add`); absent when adding is not set up. */
  links?: LinkAdder | undefined;
  /** Coverage gaps for `/gaps`; absent, `/gaps` says they are not set up. */
  coverage?: Pick<Coverage, 'gaps'> | undefined;
  /** Role ids whose members are editors (DISCORD_EDITOR_ROLE_IDS): they may run `/gaps` and `/add`. */
  editorRoleIds?: readonly string[];
  /** The threads the bot answered in, with their context; absent, public answers open no thread. */
  threads?: ThreadStore;
  /** Start a thread on a message the bot posted; resolves with the thread's channel id. */
  startThread?(channelId: string, messageId: string, name: string): Promise<string | undefined>;
  /** Keep a "find sources" lookup's text for its share button (custom ids hold 100 characters). */
  rememberSources?(lookupId: string, report: SourcesReport): void;
}

/** One slash command or message command: its registration JSON and its handlers (one file per command). */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody | RESTPostAPIContextMenuApplicationCommandsJSONBody;
  execute(interaction: SlashInteraction, context: CommandContext): Promise<void>;
  autocomplete?(request: AutocompleteRequest, context: CommandContext): Promise<void>;
}

/** Checks each loaded command before it is used or registered. */
export const commandSchema = z.object({
  data: z.union([
    z
      .object({
        type: z.literal(1).optional(),
        name: z.string().regex(/^[-_\p{Ll}\p{N}]{1,32}$/u, 'must be 1-32 lower-case letters, digits, - or _'),
        description: z.string().min(1).max(100),
      })
      .loose(),
    // Message and user commands: a menu label, spaces and capitals allowed, no description.
    z.object({ type: z.union([z.literal(2), z.literal(3)]), name: z.string().min(1).max(32) }).loose(),
  ]),
  execute: z.function(),
  autocomplete: z.function().optional(),
});

/** Validate commands with {@link commandSchema} and index them by name; a bad one throws naming it. */
export function loadCommands(candidates: readonly unknown[]): Map<string, Command> {
  const commands = new Map<string, Command>();
  candidates.forEach((candidate, index) => {
    const parsed = commandSchema.safeParse(candidate);
    if (!parsed.success) {
      throw new Error(`Discord: command #${index} is invalid:\n${z.prettifyError(parsed.error)}`);
    }
    const command = candidate as Command;
    if (commands.has(command.data.name)) throw new Error(`Discord: duplicate command ${command.data.name}`);
    commands.set(command.data.name, command);
  });
  return commands;
}
