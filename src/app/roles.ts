// Process roles (issue #16): one bot can run as several processes over one Postgres database.
// `all` (the default, and the only role SQLite allows) runs everything in one process, as the
// bot always did; the others split it:
//   poller    — the poll schedule (ingest and routing) and retention; no Discord connection.
//   deliverer — drains the outbox, edits posts, plans digests; Discord REST only, no gateway.
//   gateway   — logs in to the gateway, answers interactions, keeps guild state (locales).
import { ConfigError, type Config } from '../config/config.js';

export const ROLES = ['all', 'poller', 'deliverer', 'gateway'] as const;
export type Role = (typeof ROLES)[number];

/** What a role runs; createBot and launchBot build only these parts. */
export interface RoleParts {
  /** The poll schedule: ingest, routing into the outbox, learned poll times. */
  readonly polling: boolean;
  /** Dropping articles past the retention age (with polling: one writer of articles). */
  readonly retention: boolean;
  /** The outbox worker: posts, edits and digests. */
  readonly delivery: boolean;
  /**
   * The worker claims its share of the outbox with a lease (several deliverers); false keeps
   * the one-process path (due list + begin), which resumes rows left 'sending' at once.
   */
  readonly claims: boolean;
  /** Creating scheduled digests (every minute); a deliverer plans only while it holds share 0. */
  readonly digestPlanning: boolean;
  /** A gateway session: slash commands, guild joins and locales. */
  readonly gateway: boolean;
  /** Discord's REST API with the bot token (posting), without a gateway session. */
  readonly rest: boolean;
}

const PARTS: Record<Role, RoleParts> = {
  all: { polling: true, retention: true, delivery: true, claims: false, digestPlanning: true, gateway: true, rest: true },
  poller: { polling: true, retention: true, delivery: false, claims: false, digestPlanning: false, gateway: false, rest: false },
  deliverer: { polling: false, retention: false, delivery: true, claims: true, digestPlanning: true, gateway: false, rest: true },
  gateway: { polling: false, retention: false, delivery: false, claims: false, digestPlanning: false, gateway: true, rest: true },
};

export const roleParts = (role: Role): RoleParts => PARTS[role];

/** A role name that is not one of ROLES. */
export class RoleError extends Error {
  constructor(readonly given: string) {
    super(`unknown role "${given.slice(0, 40)}": use one of ${ROLES.join(', ')}`);
    this.name = 'RoleError';
  }
}

/** `--role` as given (absent: `all`). */
export function parseRole(text: string | undefined): Role {
  if (text === undefined || text === '') return 'all';
  const role = text.trim().toLowerCase();
  if ((ROLES as readonly string[]).includes(role)) return role as Role;
  throw new RoleError(text);
}

/**
 * Refuses a role the configured store cannot serve. A SQLite file belongs to one process:
 * separate roles would be separate processes writing one file, with the outbox, poll leases
 * and the deliverers' shared budget kept in that process's memory. So SQLite runs `all` only.
 */
export function checkRole(role: Role, config: Pick<Config, 'databaseUrl'>): void {
  if (role === 'all' || config.databaseUrl !== null) return;
  throw new ConfigError(
    ['DATABASE_URL'],
    `The ${role} role needs the Postgres store: SQLite is one process's file, so with SQLite (DATABASE_URL empty) only --role all can run. ` +
      'Set DATABASE_URL=postgres://… to run poller, deliverer and gateway as separate processes.',
  );
}

/** Which Discord credentials a role needs: none for a poller; the application id only to register commands. */
export function needsDiscord(role: Role): boolean {
  return roleParts(role).rest || roleParts(role).gateway;
}
