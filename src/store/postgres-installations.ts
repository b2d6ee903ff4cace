import type { PgContext } from './postgres-db.ts';
import type { InstallationRecord, InstallationStore, Platform } from './types.ts';

interface InstallationRow {
  platform: string;
  workspace_id: string;
  data: unknown;
  installed_at: Date;
}

const installationOf = (row: InstallationRow): InstallationRecord => ({
  platform: row.platform as Platform,
  workspaceId: row.workspace_id,
  data: row.data,
  installedAt: row.installed_at,
});

/** App installations per workspace in PostgreSQL, shared by every replica. */
export function createPostgresInstallations({ pool }: PgContext): InstallationStore {
  return {
    async save(record) {
      await pool.query(
        `INSERT INTO installations (platform, workspace_id, data, installed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (platform, workspace_id) DO UPDATE SET data = excluded.data, installed_at = excluded.installed_at`,
        [record.platform, record.workspaceId, JSON.stringify(record.data), record.installedAt],
      );
    },
    async get(platform, workspaceId) {
      const { rows } = await pool.query<InstallationRow>(
        'SELECT * FROM installations WHERE platform = $1 AND workspace_id = $2',
        [platform, workspaceId],
      );
      return rows[0] ? installationOf(rows[0]) : undefined;
    },
    async remove(platform, workspaceId) {
      const { rowCount } = await pool.query(
        'DELETE FROM installations WHERE platform = $1 AND workspace_id = $2',
        [platform, workspaceId],
      );
      return (rowCount ?? 0) > 0;
    },
    async list(platform) {
      const { rows } = await pool.query<InstallationRow>(
        'SELECT * FROM installations WHERE platform = $1 ORDER BY workspace_id COLLATE "C"',
        [platform],
      );
      return rows.map(installationOf);
    },
  };
}
