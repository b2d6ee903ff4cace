import { type Interaction, type InteractionReplyOptions, MessageFlags } from 'discord.js';
import type { MessagePayload } from './command.ts';
import type { Dispatcher } from './dispatch.ts';

/** Sent with every message: article or user text never pings anyone. */
export const NO_MENTIONS = { parse: [] as [] };

function toOptions(payload: MessagePayload) {
  return {
    ...(payload.content !== undefined ? { content: payload.content } : {}),
    ...(payload.embeds ? { embeds: payload.embeds } : {}),
    ...(payload.components ? { components: payload.components } : {}),
    allowedMentions: NO_MENTIONS,
  };
}

function replyOptions(payload: MessagePayload, ephemeral: boolean): InteractionReplyOptions {
  return { ...toOptions(payload), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

/** Hand a discord.js interaction to the dispatcher in the transport-neutral shape. */
export async function routeGatewayInteraction(
  interaction: Interaction,
  dispatcher: Dispatcher,
): Promise<void> {
  const base = {
    id: interaction.id,
    userId: interaction.user.id,
    channelId: interaction.channelId,
    guildId: interaction.guildId,
    memberRoleIds: memberRoles(interaction.member),
  };
  if (interaction.isChatInputCommand()) {
    await dispatcher.command({
      ...base,
      commandName: interaction.commandName,
      getString: (name) => interaction.options.getString(name),
      getBoolean: (name) => interaction.options.getBoolean(name),
      get acknowledged() {
        return interaction.deferred || interaction.replied;
      },
      deferReply: async ({ ephemeral }) => {
        await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
      },
      reply: async (payload, { ephemeral }) => {
        await interaction.reply(replyOptions(payload, ephemeral));
      },
      editReply: async (payload) => {
        await interaction.editReply(toOptions(payload));
      },
    });
  } else if (interaction.isAutocomplete()) {
    const focused = interaction.options.getFocused(true);
    await dispatcher.autocomplete({
      ...base,
      commandName: interaction.commandName,
      focused: { name: focused.name, value: String(focused.value) },
      respond: (choices) => interaction.respond(choices),
    });
  } else if (interaction.isButton()) {
    await dispatcher.button({
      ...base,
      customId: interaction.customId,
      get acknowledged() {
        return interaction.deferred || interaction.replied;
      },
      reply: async (payload, { ephemeral }) => {
        await interaction.reply(replyOptions(payload, ephemeral));
      },
    });
  }
}

// A cached member carries a role manager; an uncached one the raw id list.
function memberRoles(member: Interaction['member']): string[] {
  if (!member) return [];
  const roles = member.roles as unknown;
  if (Array.isArray(roles)) return roles.map(String);
  const cache = (roles as { cache?: Map<string, unknown> }).cache;
  return cache ? [...cache.keys()] : [];
}
