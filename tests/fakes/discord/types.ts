// Shapes shared by the fake Discord's modules and the tests that drive it.

export type JsonObject = Record<string, unknown>;

export interface UserSeed {
  id: string;
  username: string;
  globalName?: string;
  bot?: boolean;
}

export interface RoleSeed {
  id: string;
  name: string;
  /** Permission bit set; a decimal string is accepted as Discord sends it. */
  permissions: bigint | string;
  position?: number;
  managed?: boolean;
}

export interface MemberSeed {
  user: UserSeed;
  roles: string[];
  nick?: string;
}

export interface OverwriteSeed {
  /** A role id (the guild id for @everyone) or a user id. */
  id: string;
  type: 'role' | 'member';
  allow?: bigint;
  deny?: bigint;
}

export interface ChannelSeed {
  id: string;
  name: string;
  /** 0 = text, 5 = announcement. */
  type?: 0 | 5;
  topic?: string;
  overwrites?: OverwriteSeed[];
}

export interface GuildSeed {
  /** Also the id of the @everyone role, as on Discord. */
  id: string;
  name: string;
  ownerId?: string;
  preferredLocale?: string;
  roles: RoleSeed[];
  members: MemberSeed[];
  channels: ChannelSeed[];
}

export interface LoggedRequest {
  method: string;
  /** Percent-decoded, without the `/api/v10` prefix: `@original` reads as such. */
  path: string;
  query: Record<string, string>;
  /** Whether an Authorization header came along; the token itself is never kept. */
  authorized: boolean;
  body: unknown;
  status: number;
  /** Discord's JSON error code when the answer was an error. */
  code?: number;
  /** The spec operation the body was validated against, when it had one. */
  operationId?: string;
  at: number;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  nonce?: string | number;
  /** The request body as the bot sent it (from `payload_json` for multipart). */
  body: JsonObject;
  /** The message object as the API returned it, kept current by later edits. */
  message: JsonObject;
  createdAt: number;
  edits: JsonObject[];
  deleted: boolean;
}

export interface UploadedFile {
  filename: string;
  size: number;
}

export type FaultStatus = 429 | 500 | 502 | 503 | 504;

export type FaultSpec =
  | { status: FaultStatus; retryAfter?: number; global?: boolean }
  /**
   * Drops the connection. With `afterProcessing` the request takes effect first, so the
   * bot loses the answer to a write that happened: the case nonces exist for.
   */
  | { status: 'reset'; afterProcessing?: boolean };

export type ChannelFault = 'deleted' | 'no-access' | 'no-permission';

export interface ApiErrorBody {
  code: number;
  message: string;
  errors?: JsonObject;
}

/** An HTTP answer in the making: the routes return these and the server writes them. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
