import { questionRecordOf } from '../../src/coverage/record.ts';
import type { Answer } from '../../src/engine/types.ts';
import { listTopics } from '../../src/topics/topics.ts';
import type { CommandContext, SentMessage, SlashInteraction } from './command.ts';
import { answerMessage } from './embeds.ts';
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
 * Defer (private unless `public:true`), build the comparison or timeline, audit it and edit it in.
 * Input was checked before this, so any refusal has already been answered privately.
 */
export async function replyWithPerspective(
  interaction: SlashInteraction,
  context: CommandContext,
  produce: () => Answer,
): Promise<void> {
  await interaction.deferReply({ ephemeral: interaction.getBoolean('public') !== true });
  const started = context.clock.now();
  const answer = produce();
  await recordAndReply(interaction, context, answer, started);
}

/** Audit-log an answer, then edit it into the deferred reply (shared by /ask, /compare, /timeline). */
export async function recordAndReply(
  interaction: SlashInteraction,
  context: CommandContext,
  answer: Answer,
  started: Date,
): Promise<SentMessage | undefined> {
  context.rememberAnswer(interaction.id, answer.question);
  // Record before replying (the reply may fail); a failing audit log must not cost the answer.
  await context.audit
    .recordQuestion(
      questionRecordOf(answer, {
        platform: 'discord',
        userId: interaction.userId,
        answerId: interaction.id,
        started,
        finished: context.clock.now(),
      }),
    )
    .catch((error: unknown) => context.logger.error('discord audit failed', { id: interaction.id, error }));
  return (await interaction.editReply(answerMessage(answer, interaction.id))) || undefined;
}
