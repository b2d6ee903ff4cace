import type {
  App,
  InstallationStore as BoltInstallationStore,
  Installation,
  InstallationQuery,
} from '@slack/bolt';
import { webApi } from '@slack/bolt';
import type { Clock } from '../../src/clock.ts';
import type { Digest, DigestPublisher } from '../../src/digest/types.ts';
import type { Logger } from '../../src/logger.ts';
import type { InstallationStore } from '../../src/store/types.ts';
import { createSlackDigestPublisher } from './digest-publisher.ts';

/** The bot scopes an install asks for: the same as the app manifest's. */
export const SLACK_BOT_SCOPES = [
  'app_mentions:read',
  'chat:write',
  'chat:write.public',
  'commands',
  'im:history',
];

/** The workspace an installation or query is for: the org for an org-wide install, else the team. */
function workspaceOf(query: {
  isEnterpriseInstall?: boolean | undefined;
  enterpriseId?: string | undefined;
  teamId?: string | undefined;
}): string {
  const id = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
  if (!id) throw new Error('Slack installation without a team or enterprise id');
  return id;
}

/** Bolt's installation store over peacedesk's (SQLite or PostgreSQL): one row per workspace. */
export function createBoltInstallationStore(
  store: InstallationStore,
  clock: Clock,
  logger: Logger,
): BoltInstallationStore {
  return {
    async storeInstallation(installation) {
      const workspaceId = workspaceOf({
        isEnterpriseInstall: installation.isEnterpriseInstall,
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
      });
      await store.save({ platform: 'slack', workspaceId, data: installation, installedAt: clock.now() });
      logger.info('slack: installed in a workspace', { workspaceId, team: installation.team?.name });
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const workspaceId = workspaceOf(query);
      const found = await store.get('slack', workspaceId);
      if (!found) throw new Error(`peacedesk is not installed in Slack workspace ${workspaceId}`);
      return found.data as Installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await store.remove('slack', workspaceOf(query));
    },
  };
}

/**
 * Forget a workspace when the app is uninstalled or its bot token revoked: nothing more is sent
 * there, and a reinstall starts afresh. Bolt delivers these two events without authorising them.
 */
export function registerUninstallHandlers(app: App, store: InstallationStore, logger: Logger): void {
  const forget = async (body: {
    team_id?: string;
    enterprise_id?: string;
    is_enterprise_install?: boolean;
  }) => {
    const workspaceId = body.is_enterprise_install ? body.enterprise_id : body.team_id;
    if (!workspaceId) return;
    const removed = await store.remove('slack', workspaceId);
    logger.info('slack: workspace uninstalled', { workspaceId, removed });
  };
  app.event('app_uninstalled', async ({ body }) => forget(body as never));
  app.event('tokens_revoked', async ({ event, body }) => {
    // Only the bot token matters here: user tokens are never asked for.
    if ((event.tokens.bot ?? []).length > 0) await forget(body as never);
  });
}

/**
 * Digests for many workspaces: a channel is written `TEAM:CHANNEL` in the digest config
 * ("T0123ABC:C0456DEF"), and posted with that workspace's own bot token.
 */
export function createWorkspaceDigestPublisher(
  store: InstallationStore,
  clientOptions: () => webApi.WebClientOptions,
): DigestPublisher {
  return {
    platform: 'slack',
    async publish(target: string, digest: Digest) {
      const [workspaceId, channelId] = target.split(':');
      if (!workspaceId || !channelId)
        throw new Error(
          `Slack: digest channel "${target}" must be written TEAM:CHANNEL (e.g. T0123ABC:C0456DEF) with OAuth installs`,
        );
      const installation = (await store.get('slack', workspaceId))?.data as Installation | undefined;
      const token = installation?.bot?.token;
      if (!token)
        throw new Error(
          `Slack: peacedesk is not installed in workspace ${workspaceId}; cannot post the digest`,
        );
      return createSlackDigestPublisher(new webApi.WebClient(token, clientOptions())).publish(
        channelId,
        digest,
      );
    },
  };
}
