// Gateway sharding: which shards this process runs (from SHARD_COUNT / SHARD_IDS, or Discord's
// recommendation) and how each of them stands, for the logs and the readiness probe.
import { Status, type Client, type ClientOptions } from 'discord.js';

/** `count` null: Discord's recommended number; `ids` null: every shard of `count`. */
export interface ShardPlan {
  readonly count: number | null;
  readonly ids: readonly number[] | null;
}

export interface ShardState {
  readonly id: number;
  /** discord.js's status name: Ready, Identifying, WaitingForGuilds, Resuming, Reconnecting, Disconnected… */
  readonly status: string;
  readonly ready: boolean;
  /** Guilds of this shard in the client's cache. */
  readonly guilds: number;
}

export interface GatewayReadiness {
  readonly ready: boolean;
  /** Fixed phrases with shard ids and status names, fit for /readyz. */
  readonly reasons: readonly string[];
  readonly shards: readonly ShardState[];
}

/**
 * The client options for a plan. Every field is given explicitly: left at its default,
 * discord.js reads SHARDS and SHARD_COUNT from the environment itself (its ShardingManager's
 * protocol), and the configuration must stay the one reader of process.env.
 */
export function shardingOptions(plan: ShardPlan | undefined): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (!plan || plan.count === null) return { shards: 'auto' };
  const ids = plan.ids ?? Array.from({ length: plan.count }, (_, i) => i);
  return { shards: [...ids], shardCount: plan.count };
}

/**
 * The gateway's shard refusals (close codes 4011 and 4010) reach login() as bare "Sharding is
 * required" / "Invalid shard": reworded to name the setting to change. Others pass unchanged.
 */
export function explainShardError(err: unknown): unknown {
  const message = err instanceof Error ? err.message : '';
  if (message === 'Sharding is required') {
    return new Error('Discord requires more gateway shards than SHARD_COUNT gives (close code 4011): raise SHARD_COUNT, or leave it empty to use the number Discord recommends', { cause: err });
  }
  if (message === 'Invalid shard') {
    return new Error('Discord refused the shard ids (close code 4010): SHARD_IDS must lie within 0 to SHARD_COUNT−1', { cause: err });
  }
  return err;
}

/** The shards this client runs; empty before login has fetched the gateway information. */
export function shardStates(client: Client): ShardState[] {
  const perShard = new Map<number, number>();
  for (const g of client.guilds.cache.values()) perShard.set(g.shardId, (perShard.get(g.shardId) ?? 0) + 1);
  return [...client.ws.shards.values()]
    .map((s) => ({ id: s.id, status: Status[s.status] ?? String(s.status), ready: s.status === Status.Ready, guilds: perShard.get(s.id) ?? 0 }))
    .sort((a, b) => a.id - b.id);
}

/**
 * Ready when the client finished logging in and every shard of this process is ready now: a
 * shard that is resuming or reconnecting cannot take its guilds' commands meanwhile.
 */
export function gatewayReadiness(client: Client): GatewayReadiness {
  const shards = shardStates(client);
  const reasons = client.isReady() ? [] : ['not logged in to the Discord gateway'];
  for (const s of shards) if (!s.ready) reasons.push(`gateway shard ${s.id} not ready (${s.status})`);
  return { ready: reasons.length === 0, reasons, shards };
}
