import {
  ApplicationIntegrationType,
  type Interaction,
  type InteractionReplyOptions,
  MessageFlags,
} from 'discord.js';
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

/** A member's role ids: a cached GuildMember has a role manager, an uncached one a plain id list. */
function roleIdsOf(member: Interaction['member']): string[] {
  if (!member) return [];
  const roles = member.roles;
  return Array.isArray(roles) ? [...roles] : [...roles.cache.keys()];
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
    memberRoleIds: roleIdsOf(interaction.member),
    // Private in DMs, and in servers where only the user (not the server) installed the app.
    privateContext:
      interaction.guildId === null ||
      (interaction.authorizingIntegrationOwners !== undefined &&
        interaction.authorizingIntegrationOwners[ApplicationIntegrationType.GuildInstall] === undefined),
  };
  if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
    await dispatcher.command({
      ...base,
      commandName: interaction.commandName,
      getString: (name) => (interaction.isChatInputCommand() ? interaction.options.getString(name) : null),
      getBoolean: (name) => (interaction.isChatInputCommand() ? interaction.options.getBoolean(name) : null),
      targetMessage: interaction.isMessageContextMenuCommand()
        ? { id: interaction.targetMessage.id, content: interaction.targetMessage.content }
        : null,
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
        const sent = await interaction.editReply(toOptions(payload));
        return { id: sent.id };
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
      showModal: async (modal) => {
        await interaction.showModal(modal);
      },
    });
  } else if (interaction.isModalSubmit()) {
    await dispatcher.modal({
      ...base,
      customId: interaction.customId,
      value: (inputId) => {
        try {
          return interaction.fields.getTextInputValue(inputId);
        } catch {
          return null;
        }
      },
      get acknowledged() {
        return interaction.deferred || interaction.replied;
      },
      reply: async (payload, { ephemeral }) => {
        await interaction.reply(replyOptions(payload, ephemeral));
      },
    });
  }
}
