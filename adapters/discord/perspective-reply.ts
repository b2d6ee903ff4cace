import type { Asker, AskResult } from '../../src/conversation/ask-service.ts';
import { listTopics } from '../../src/conversation/index.ts';
import { rateLimitMessage } from '../../src/messages/strings.ts';
import type { SentMessage, SlashInteraction } from './command.ts';
import { answerMessage, escapeMarkdown } from './embeds.ts';
import { MAX_CHOICES } from './suggest.ts';

/** Topics whose id or label holds the typed text, as autocomplete choices ("NATO membership (nato)" -> "nato"). */
export function topicChoices(typed: string): Array<{ name: string; value: string }> {
  const text = typed.trim().toLowerCase();
  return listTopics()
    .filter((t) => !text || t.id.includes(text) || t.label.toLowerCase().includes(text))
    .slice(0, MAX_CHOICES)
    .map((t) => ({ name: `${t.label} (${t.id})`.slice(0, 100), value: t.id }));
}

/**
 * Run a request through the ask service for a slash command (shared by /ask, /compare,
 * /timeline): a refusal before the answer starts is replied privately; once admitted and checked
 * the reply is deferred (private when `ephemeral`), and the answer or a later refusal is edited in.
 */
export async function replyThroughAsks(
  interaction: SlashInteraction,
  request: {
    ephemeral: boolean;
    run: (asker: Asker) => Promise<AskResult>;
    /** The words for a date the service could not read. */
    badDate?: (text: string) => string;
  },
): Promise<{ result: AskResult; sent: SentMessage | undefined }> {
  let deferred = false;
  const result = await request.run({
    platform: 'discord',
    userId: interaction.userId,
    answerId: interaction.id,
    beforeAnswer: async () => {
      await interaction.deferReply({ ephemeral: request.ephemeral });
      deferred = true;
    },
  });
  if (result.ok) {
    // A private answer in a server channel can be shared there (see the dispatcher's share button).
    const shareable = request.ephemeral && !interaction.privateContext && interaction.guildId !== null;
    const payload = answerMessage(result.answer, interaction.id, { shareable });
    const sent = (await interaction.editReply(payload)) || undefined;
    return { result, sent };
  }
  const content =
    result.reason === 'rate-limited'
      ? rateLimitMessage(result.retryAfterMs / 1000)
      : result.reason === 'bad-date'
        ? (request.badDate?.(result.text) ?? escapeMarkdown(result.text))
        : escapeMarkdown(result.message);
  if (deferred) await interaction.editReply({ content });
  else await interaction.reply({ content }, { ephemeral: true });
  return { result, sent: undefined };
}
