import {
  ApplicationIntegrationType,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteraction,
  type Interaction,
  type InteractionReplyOptions,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { MessagePayload, ModalSubmission, SlashInteraction } from './command.ts';
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

/** What every interaction shape carries: ids, the member's roles and whether the context is private. */
function baseOf(interaction: Interaction) {
  return {
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
}

type Base = ReturnType<typeof baseOf>;

/** The reply every shape has (a spread would freeze a getter, so `acknowledged` stays with each shape). */
function replyTo(interaction: ButtonInteraction | ModalSubmitInteraction | CommandInteraction) {
  return async (payload: MessagePayload, { ephemeral }: { ephemeral: boolean }) => {
    await interaction.reply(replyOptions(payload, ephemeral));
  };
}

/** A slash command or a message's context-menu command in the transport-neutral shape. */
function slashOf(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  base: Base,
): SlashInteraction {
  return {
    ...base,
    get acknowledged() {
      return interaction.deferred || interaction.replied;
    },
    reply: replyTo(interaction),
    commandName: interaction.commandName,
    getString: (name) => (interaction.isChatInputCommand() ? interaction.options.getString(name) : null),
    getBoolean: (name) => (interaction.isChatInputCommand() ? interaction.options.getBoolean(name) : null),
    targetMessage: interaction.isMessageContextMenuCommand()
      ? { id: interaction.targetMessage.id, content: interaction.targetMessage.content }
      : null,
    deferReply: async ({ ephemeral }) => {
      await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    },
    editReply: async (payload) => {
      const sent = await interaction.editReply(toOptions(payload));
      return { id: sent.id };
    },
  };
}

/** A submitted modal; a field it lacks reads as null. */
function modalOf(interaction: ModalSubmitInteraction, base: Base): ModalSubmission {
  return {
    ...base,
    get acknowledged() {
      return interaction.deferred || interaction.replied;
    },
    reply: replyTo(interaction),
    customId: interaction.customId,
    value: (inputId) => {
      try {
        return interaction.fields.getTextInputValue(inputId);
      } catch {
        return null;
      }
    },
  };
}

/** Hand a discord.js interaction to the dispatcher in the transport-neutral shape. */
export async function routeGatewayInteraction(
  interaction: Interaction,
  dispatcher: Dispatcher,
): Promise<void> {
  const base = baseOf(interaction);
  if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
    await dispatcher.command(slashOf(interaction, base));
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
      get acknowledged() {
        return interaction.deferred || interaction.replied;
      },
      reply: replyTo(interaction),
      customId: interaction.customId,
      showModal: async (modal) => {
        await interaction.showModal(modal);
      },
    });
  } else if (interaction.isModalSubmit()) {
    await dispatcher.modal(modalOf(interaction, base));
  }
}
