// The real discord.js client against the fake Discord: if these pass, a test that drives
// the bot through the fake exercises the same calls the bot makes against Discord.
import {
  AutocompleteInteraction, ButtonInteraction, ChannelFlags, ChannelType, ChatInputCommandInteraction, Client, DiscordAPIError,
  Events, GatewayIntentBits, MessageFlags, PermissionFlagsBits, RESTEvents, Routes,
  type ForumChannel, type Interaction, type MessageMentionOptions, type NewsChannel, type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultGuildSeed, shardOf, startFakeDiscord, type FakeDiscord, type GuildSeed, type Pings } from '../fakes/fake-discord.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Connected {
  client: Client;
  errors: Error[];
}

async function connect(fake: FakeDiscord): Promise<Connected> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: fake.apiBase, retries: 2, timeout: 5000 },
    waitGuildTimeout: 300,
  });
  const errors: Error[] = [];
  // Without a listener, a rejected async handler becomes an uncaught 'error' and kills the worker.
  client.on(Events.Error, (e) => void errors.push(e));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(fake.token);
  await ready;
  return { client, errors };
}

/** Runs `fn` on the next interaction and hands back its outcome, so a failed assertion fails the test. */
function nextInteraction<T>(client: Client, fn: (i: Interaction) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    client.once(Events.InteractionCreate, (i) => void fn(i).then(resolve, reject));
  });
}

async function apiError(p: Promise<unknown>): Promise<DiscordAPIError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DiscordAPIError);
  return e as DiscordAPIError;
}

describe('discord.js against the fake Discord', () => {
  let fake: FakeDiscord;
  let client: Client;
  let errors: Error[];
  const text = (id: string): TextChannel => client.channels.cache.get(id) as TextChannel;

  beforeAll(async () => {
    // A short window keeps the file fast; the burst test below runs the limiter for real.
    fake = await startFakeDiscord({ ackDeadlineMs: 1000, rateLimit: { perChannel: 5, windowMs: 400 }, heartbeatIntervalMs: 500 });
    ({ client, errors } = await connect(fake));
  });
  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it('logs in with Guilds only and caches the seeded guild, channels, members and permissions', () => {
    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0]?.intents).toBe(GatewayIntentBits.Guilds);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.name).toBe('乡讯测试服');
    expect(fake.guildId).toMatch(/^\d{18}$/);
    expect(guild?.channels.cache.get(fake.channels.announcements)?.type).toBe(ChannelType.GuildAnnouncement);
    const me = guild?.members.me;
    expect(me?.id).toBe(fake.users.bot);
    const news = text(fake.channels.news);
    expect(news.permissionsFor(me!)?.has([PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks])).toBe(true);
    const member = guild!.members.cache.get(fake.users.member)!;
    expect(news.permissionsFor(member)?.has(PermissionFlagsBits.SendMessages)).toBe(false);
    expect(text(fake.channels.general).permissionsFor(member)?.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(guild!.members.cache.get(fake.users.moderator)?.permissions.has(PermissionFlagsBits.ManageGuild)).toBe(true);
  });

  it('stores embeds sent to a channel and answers with the stored message', async () => {
    const sent = await text(fake.channels.news).send({ embeds: [{ title: '嘉兴新闻', url: 'https://news.example.cn/1', description: '乌镇', fields: [{ name: '地区', value: '嘉兴' }] }] });
    const stored = fake.messages(fake.channels.news).find((m) => m.id === sent.id);
    expect(stored?.body).toMatchObject({ embeds: [{ title: '嘉兴新闻', fields: [{ name: '地区', value: '嘉兴' }] }] });
    expect(sent.embeds[0]?.title).toBe('嘉兴新闻');
    const log = fake.requests.find((r) => r.method === 'POST' && r.path === `/channels/${fake.channels.news}/messages`);
    expect(log).toMatchObject({ authorized: true, status: 200 });
    expect(JSON.stringify(fake.requests)).not.toContain(fake.token);
  });

  it("enforces Discord's limits with 50035 and the nested errors, and 50006 for an empty message", async () => {
    const general = text(fake.channels.general);
    const long = await apiError(general.send({ embeds: [{ title: 'x'.repeat(257) }] }));
    expect(long.code).toBe(50035);
    expect(long.message).toMatch(/embeds\[0\]\.title\[BASE_TYPE_MAX_LENGTH\]/);
    expect((await apiError(general.send({ content: '字'.repeat(2001) }))).code).toBe(50035);
    expect((await apiError(general.send({ embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }))).code).toBe(50035);
    const big = await apiError(general.send({ embeds: [{ description: 'a'.repeat(4000) }, { description: 'b'.repeat(2001) }] }));
    expect(big.message).toMatch(/MAX_EMBED_SIZE_EXCEEDED/);
    expect((await apiError(general.send({ embeds: [{ title: 't', fields: [{ name: 'n', value: '' }] }] }))).code).toBe(50035);
    expect((await apiError(general.send({ content: '' }))).code).toBe(50006);
    expect(fake.messages(fake.channels.general)).toHaveLength(0);
    // Discord's OpenAPI description catches the two whose limits it states; the rest are
    // limits only the hand-written checks know (2000-character content, 6000 in all, empty).
    expect(fake.takeSpecViolations().map((v) => `${v.operationId} ${v.errors.join('; ')}`)).toEqual([
      'create_message /embeds/0/title must NOT have more than 256 characters',
      'create_message /embeds must NOT have more than 10 items',
    ]);
  });

  it('waits out an injected 429 (Retry-After) and a 500, delivering each message once', async () => {
    const channel = fake.channels.general;
    const path = `/channels/${channel}/messages`;
    const before = fake.requests.length;
    fake.failNext('POST /channels/:id/messages', 1, { status: 429, retryAfter: 0.2 });
    const started = Date.now();
    await text(channel).send('after 429');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    fake.failNext(`POST ${path}`, 1, { status: 500 });
    await text(channel).send('after 500');
    const statuses = fake.requests.slice(before).filter((r) => r.path === path).map((r) => r.status);
    expect(statuses).toEqual([429, 200, 500, 200]);
    expect(fake.messages(channel).map((m) => m.body.content)).toEqual(['after 429', 'after 500']);
  });

  it('answers 10003 for a deleted channel, 50001 / 50013 for missing access or permission', async () => {
    const id = fake.channels.general;
    fake.deleteChannel(id);
    expect((await apiError(text(id).send('x'))).code).toBe(10003);
    fake.denyAccess(id);
    expect((await apiError(text(id).send('x'))).status).toBe(403);
    expect((await apiError(text(id).send('x'))).code).toBe(50001);
    fake.denyPermission(id);
    expect((await apiError(text(id).send('x'))).code).toBe(50013);
    fake.restoreChannel(id);
    await expect(text(id).send('back')).resolves.toBeDefined();
  });

  it('returns the existing message for a repeated nonce with enforce_nonce, even after a lost answer', async () => {
    const news = text(fake.channels.news);
    const first = await news.send({ content: 'story 1', nonce: 'story-1', enforceNonce: true });
    const again = await news.send({ content: 'story 1', nonce: 'story-1', enforceNonce: true });
    expect(again.id).toBe(first.id);
    // The write happens but the connection drops before the answer: only the nonce saves the retry.
    fake.failNext('POST /channels/:id/messages', 1, { status: 'reset', afterProcessing: true });
    await expect(news.send({ content: 'story 2', nonce: 'story-2', enforceNonce: true })).rejects.toThrow();
    const retry = await news.send({ content: 'story 2', nonce: 'story-2', enforceNonce: true });
    const stories = fake.messages(fake.channels.news).filter((m) => String(m.body.content).startsWith('story'));
    expect(stories.map((m) => m.nonce)).toEqual(['story-1', 'story-2']);
    expect(stories[1]?.id).toBe(retry.id);
    expect(fake.nonceReplays).toBe(2);
  });

  it('stores global and guild commands from application.commands.set and guild.commands.set', async () => {
    await client.application!.commands.set([{ name: 'ping', description: 'pong' }]);
    const guild = client.guilds.cache.get(fake.guildId)!;
    const set = await guild.commands.set([
      {
        name: 'news', description: '家乡新闻', nameLocalizations: { 'zh-CN': '新闻' },
        options: [{ type: 1, name: 'latest', description: 'latest', options: [
          { type: 3, name: 'region', description: 'region', required: true, autocomplete: true },
          { type: 4, name: 'count', description: 'count' },
        ] }],
      },
    ]);
    expect(fake.commands().map((c) => c.name)).toEqual(['ping']);
    expect(fake.commands(fake.guildId)).toMatchObject([{ name: 'news', guild_id: fake.guildId, id: set.first()?.id }]);
    await expect(guild.commands.set([{ name: 'Bad Name', description: 'x' }])).rejects.toMatchObject({ code: 50035 });
  });

  it('delivers a slash command with options, locale and permissions; deferReply + editReply', async () => {
    const seen = nextInteraction(client, async (i) => {
      if (!(i instanceof ChatInputCommandInteraction)) throw new Error(`got ${i.type}`);
      await i.deferReply();
      await i.editReply({ content: `${i.options.getString('region')} ×${i.options.getInteger('count')}` });
      return { sub: i.options.getSubcommand(), locale: i.locale, manage: i.memberPermissions?.has(PermissionFlagsBits.ManageGuild), channel: i.channelId };
    });
    const h = fake.slash({ name: 'news', subcommand: 'latest', options: { region: '嘉兴', count: 3 }, user: 'moderator', locale: 'en-US' });
    await expect(seen).resolves.toEqual({ sub: 'latest', locale: 'en-US', manage: true, channel: fake.channels.news });
    expect((await h.waitForResponse()).type).toBe(5);
    expect((await h.waitForEdit()).body.content).toBe('嘉兴 ×3');
    expect(h.responses().map((r) => r.kind)).toEqual(['callback', 'edit']);
  });

  it('reply (ephemeral) then followUp, in order', async () => {
    const done = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      await i.reply({ content: '仅你可见', flags: MessageFlags.Ephemeral });
      await i.followUp({ content: '补充' });
      return i.memberPermissions?.has(PermissionFlagsBits.ManageGuild);
    });
    const h = fake.slash({ name: 'ping', locale: 'zh-TW' });
    await expect(done).resolves.toBe(false);
    expect(h.responses().map((r) => [r.kind, r.type ?? null])).toEqual([['callback', 4], ['followup', null]]);
    expect(h.responses()[0]?.body.data).toMatchObject({ content: '仅你可见', flags: 64 });
    expect((await h.waitForFollowUp()).message?.content).toBe('补充');
  });

  it('answers autocomplete through respond()', async () => {
    const done = nextInteraction(client, async (i) => {
      if (!(i instanceof AutocompleteInteraction)) throw new Error('not autocomplete');
      const focused = i.options.getFocused(true);
      await i.respond([{ name: `${focused.value}兴`, value: 'jiaxing' }]);
      return focused.name;
    });
    const h = fake.autocomplete({ name: 'news', subcommand: 'latest', options: { region: '嘉' }, focused: 'region' });
    await expect(done).resolves.toBe('region');
    expect(await h.choices()).toEqual([{ name: '嘉兴', value: 'jiaxing' }]);
  });

  it('updates the clicked message from a button', async () => {
    const posted = await text(fake.channels.news).send({
      content: '订阅?', components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'sub:yes', label: '是' }] }],
    });
    const done = nextInteraction(client, async (i) => {
      if (!(i instanceof ButtonInteraction)) throw new Error('not a button');
      await i.update({ content: '已订阅', components: [] });
      return [i.customId, i.message.id];
    });
    const h = fake.click({ customId: 'sub:yes', messageId: posted.id });
    await expect(done).resolves.toEqual(['sub:yes', posted.id]);
    expect((await h.waitForResponse()).type).toBe(7);
    expect(fake.messages(fake.channels.news).find((m) => m.id === posted.id)?.message).toMatchObject({ content: '已订阅', components: [] });
  });

  it('refuses an acknowledgement after the deadline (10062) and a second one (40060)', async () => {
    const late = nextInteraction(client, async (i) => {
      await sleep(1100);
      if (!i.isChatInputCommand()) throw new Error('not a command');
      return i.reply('too late').then(() => 0, (e: DiscordAPIError) => e.code);
    });
    const h = fake.slash({ name: 'ping' });
    await expect(late).resolves.toBe(10062);
    expect((await h.waitForError()).code).toBe(10062);

    const acked = nextInteraction(client, async (i) => {
      if (i.isChatInputCommand()) await i.reply('once');
    });
    const twice = fake.slash({ name: 'ping' });
    await acked;
    const res = await fetch(`${fake.apiBase}/v10/interactions/${twice.id}/${twice.token}/callback`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 4, data: { content: 'again' } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 40060 });
  });

  it('resumes after op 7, a resumable op 9 and a dropped socket, and keeps delivering interactions', async () => {
    const resumes = (): Promise<void> => new Promise<void>((resolve) => client.once(Events.ShardResume, () => resolve()));
    let resumed = resumes();
    await fake.reconnect();
    await resumed;
    resumed = resumes();
    await fake.invalidateSession(true);
    await resumed;
    resumed = resumes();
    fake.disconnectAll();
    await resumed;
    await fake.waitForSession();
    expect(fake.identifies).toHaveLength(1);
    const done = nextInteraction(client, async (i) => {
      if (i.isChatInputCommand()) await i.reply('still here');
      return i.id;
    });
    const h = fake.slash({ name: 'ping' });
    await expect(done).resolves.toBe(h.id);
  });

  it('acknowledged heartbeats, and saw no client errors and no route the fake lacks', () => {
    const ops = fake.gatewayFrames.map((f) => `${f.dir}:${f.op}`);
    expect(ops).toContain('in:1');
    expect(ops).toContain('out:11');
    expect(errors).toEqual([]);
    expect(fake.unknownRoutes).toEqual([]);
    expect(fake.internalErrors).toEqual([]);
  });
});

describe('rate limits', () => {
  it('a burst of 20 through discord.js gets zero 429s: it honours the headers', async () => {
    const fake = await startFakeDiscord({ rateLimit: { perChannel: 5, windowMs: 300 } });
    const { client, errors } = await connect(fake);
    try {
      let waited = 0;
      client.rest.on(RESTEvents.RateLimited, () => void waited++);
      const channel = client.channels.cache.get(fake.channels.news) as TextChannel;
      await Promise.all(Array.from({ length: 20 }, (_, n) => channel.send(`burst ${n}`)));
      expect(fake.rateLimitHits).toBe(0);
      expect(waited).toBeGreaterThan(0);
      expect(fake.messages(fake.channels.news).map((m) => m.body.content)).toEqual(Array.from({ length: 20 }, (_, n) => `burst ${n}`));
      expect(errors).toEqual([]);
    } finally {
      await client.destroy();
      await fake.close();
    }
  });

  it('defaults to 5 per 5 s per channel with one stable bucket per route, and counts a client that ignores it', async () => {
    const fake = await startFakeDiscord();
    try {
      const post = (channel: string, token = fake.token): Promise<Response> =>
        fetch(`${fake.apiBase}/v10/channels/${channel}/messages`, {
          method: 'POST', headers: { authorization: `Bot ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ content: 'hi' }),
        });
      const answers = [];
      for (let n = 0; n < 6; n++) answers.push(await post(fake.channels.news));
      const other = await post(fake.channels.general);
      expect(answers.slice(0, 5).map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);
      expect(answers[0]?.headers.get('x-ratelimit-limit')).toBe('5');
      expect(new Set([...answers, other].map((r) => r.headers.get('x-ratelimit-bucket'))).size).toBe(1);
      const limited = answers[5]!;
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
      expect(other.status).toBe(200);
      expect(fake.rateLimitHits).toBe(1);
      expect((await post(fake.channels.news, 'wrong')).status).toBe(401);
      const gateway = await fetch(`${fake.apiBase}/v10/gateway/bot`, { headers: { authorization: `Bot ${fake.token}` } });
      expect(await gateway.json()).toMatchObject({ url: fake.gatewayUrl, shards: 1, session_start_limit: { remaining: 999 } });
      const missing = await fetch(`${fake.apiBase}/v10/nope`);
      expect([missing.status, await missing.json()]).toEqual([404, { message: '404: Not Found', code: 0 }]);
      expect(fake.unknownRoutes).toEqual(['GET /nope']);
    } finally {
      await fake.close();
    }
  });

  it('rejects a wrong token at login', async () => {
    const fake = await startFakeDiscord();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
    try {
      await expect(client.login('not-the-token')).rejects.toThrow();
    } finally {
      await client.destroy();
      await fake.close();
    }
  });
});

describe('forums, threads, crossposts, edits and role pings', () => {
  let fake: FakeDiscord;
  let client: Client;
  let errors: Error[];

  beforeAll(async () => {
    fake = await startFakeDiscord({ rateLimit: false });
    ({ client, errors } = await connect(fake));
  });
  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  /** A forum made after login: the client learns of it from CHANNEL_CREATE, as from Discord. */
  async function forum(opts: Parameters<FakeDiscord['createForum']>[0]): Promise<ForumChannel> {
    const seed = fake.createForum(opts);
    return fake.waitFor(() => client.channels.cache.get(seed.id) as ForumChannel | undefined, 2000, 'the forum in the cache');
  }

  it('shows forum and media channels with their tags and REQUIRE_TAG, and roles with mentionable', async () => {
    const news = await forum({ name: '新闻论坛', tags: ['海宁', { name: '天气', emojiName: '⛈️' }, { name: '置顶', moderated: true }], requireTag: true });
    expect(news.type).toBe(ChannelType.GuildForum);
    expect(news.availableTags.map((t) => [t.name, t.moderated, t.emoji?.name ?? null])).toEqual([['海宁', false, null], ['天气', false, '⛈️'], ['置顶', true, null]]);
    expect(news.flags.has(ChannelFlags.RequireTag)).toBe(true);
    const media = await forum({ name: '图片', media: true });
    expect(media.type).toBe(ChannelType.GuildMedia);
    const role = fake.createRole({ name: '天气预警', mentionable: true });
    const cached = await fake.waitFor(() => client.guilds.cache.get(fake.guildId)?.roles.cache.get(role.id), 2000, 'the role');
    expect(cached.mentionable).toBe(true);
    const fetched = (await client.rest.get(Routes.channel(news.id))) as { type: number; available_tags: unknown[]; flags: number };
    expect([fetched.type, fetched.available_tags.length, fetched.flags]).toEqual([15, 3, 16]);
  });

  it('creates a tagged forum post whose starter message shares the thread id, and pings exactly the allowed role', async () => {
    const news = await forum({ name: '家乡', tags: ['嘉兴', '海宁'] });
    const haining = news.availableTags.find((t) => t.name === '海宁')!;
    const role = fake.createRole({ name: '海宁订阅', mentionable: true });
    const other = fake.createRole({ name: '其他', mentionable: true });
    const thread = await news.threads.create({
      name: '海宁：大潮来了',
      appliedTags: [haining.id],
      message: {
        content: `<@&${role.id}> <@&${other.id}> @everyone <@${fake.users.member}>`,
        embeds: [{ title: '海宁：大潮来了', description: '观潮', timestamp: new Date().toISOString() }],
        allowedMentions: { roles: [role.id] },
      },
    });
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(thread.parentId).toBe(news.id);
    expect(thread.appliedTags).toEqual([haining.id]);
    const starter = fake.messages(thread.id);
    expect(starter.map((m) => m.id)).toEqual([thread.id]);
    expect(starter[0]?.pings).toEqual({ everyone: false, roles: [role.id], users: [] });
    expect(starter[0]?.message).toMatchObject({ mention_roles: [role.id], mention_everyone: false, mentions: [] });
    expect(fake.threads(news.id)).toMatchObject([{ id: thread.id, kind: 'forum-post', appliedTags: [haining.id], name: '海宁：大潮来了' }]);
    expect((await thread.fetchStarterMessage())?.embeds[0]?.title).toBe('海宁：大潮来了');
    expect(fake.specChecked.get('create_thread (CreateForumThreadRequest)')).toBe(1);
    // A reply in the post is a message in the thread.
    await thread.send('补充');
    expect(fake.messages(thread.id).map((m) => m.body.content)).toEqual([expect.stringContaining('<@&'), '补充']);
  });

  it("refuses forum posts as Discord does: 40067 without a required tag, 50035 for foreign tags, 50008 for a plain message, 50013, 10003", async () => {
    const strict = await forum({ name: '严格', tags: ['a', 'b', 'c', 'd', 'e', 'f'], requireTag: true });
    const post = (body: Record<string, unknown>): Promise<unknown> => client.rest.post(Routes.threads(strict.id), { body });
    expect((await apiError(post({ name: '无标签', message: { content: 'x' } }))).code).toBe(40067);
    const foreign = await apiError(post({ name: '外来', applied_tags: [fake.guildId], message: { content: 'x' } }));
    expect([foreign.code, foreign.message]).toEqual([50035, expect.stringMatching(/applied_tags\[0\]/)]);
    const six = await apiError(post({ name: '六个', applied_tags: strict.availableTags.map((t) => t.id), message: { content: 'x' } }));
    expect(six.code).toBe(50035);
    expect((await apiError(post({ name: 'x'.repeat(101), applied_tags: [strict.availableTags[0]!.id], message: { content: 'x' } }))).code).toBe(50035);
    expect((await apiError(post({ name: '空', applied_tags: [strict.availableTags[0]!.id], message: {} }))).code).toBe(50006);
    expect((await apiError(post({ name: '无消息', applied_tags: [strict.availableTags[0]!.id] }))).code).toBe(50035);
    expect(fake.takeSpecViolations().map((v) => v.errors.join('; '))).toEqual([
      '/applied_tags must NOT have more than 5 items',
      '/name must NOT have more than 100 characters',
      "/ must have required property 'message'",
    ]);
    expect((await apiError(client.rest.post(Routes.channelMessages(strict.id), { body: { content: 'hi' } }))).code).toBe(50008);
    fake.revokeBot(PermissionFlagsBits.SendMessages, strict.id);
    expect((await apiError(post({ name: '无权', applied_tags: [strict.availableTags[0]!.id], message: { content: 'x' } }))).code).toBe(50013);
    fake.grantBot(PermissionFlagsBits.SendMessages, strict.id);
    await expect(post({ name: '有权', applied_tags: [strict.availableTags[0]!.id], message: { content: 'x' } })).resolves.toMatchObject({ parent_id: strict.id });
    fake.deleteChannel(strict.id);
    expect((await apiError(post({ name: '已删', message: { content: 'x' } }))).code).toBe(10003);
    expect(fake.threads(strict.id)).toHaveLength(1);
  });

  it("follows Discord's role-ping rules: mentionable roles, Mention Everyone, parse, and never @everyone without the permission", async () => {
    const general = client.channels.cache.get(fake.channels.general) as TextChannel;
    const loud = fake.createRole({ name: 'loud', mentionable: true });
    const quiet = fake.createRole({ name: 'quiet' });
    const body = `<@&${loud.id}> <@&${quiet.id}> @here <@${fake.users.member}>`;
    const sent = async (allowedMentions?: MessageMentionOptions): Promise<Pings | undefined> => {
      const m = await general.send({ content: body, ...(allowedMentions ? { allowedMentions } : {}) });
      return fake.message(m.id)?.pings;
    };
    expect(await sent({ parse: [] })).toEqual({ everyone: false, roles: [], users: [] });
    expect(await sent({ roles: [quiet.id] })).toEqual({ everyone: false, roles: [], users: [] });
    expect(await sent({ parse: ['roles', 'everyone'] })).toEqual({ everyone: false, roles: [loud.id], users: [] });
    expect(await sent({ users: [fake.users.member] })).toEqual({ everyone: false, roles: [], users: [fake.users.member] });
    // discord.js sends no allowed_mentions here: Discord then parses everything in the content.
    expect(await sent()).toEqual({ everyone: false, roles: [loud.id], users: [fake.users.member] });
    fake.grantBot(PermissionFlagsBits.MentionEveryone, fake.channels.general);
    expect(await sent({ roles: [quiet.id] })).toEqual({ everyone: false, roles: [quiet.id], users: [] });
    expect(await sent({ parse: ['everyone'] })).toEqual({ everyone: true, roles: [], users: [] });
    fake.revokeBot(PermissionFlagsBits.MentionEveryone, fake.channels.general);
    const both = await apiError(general.send({ content: body, allowedMentions: { parse: ['roles'], roles: [loud.id] } }));
    expect(both.message).toMatch(/MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE/);
  });

  it('starts a thread from a message (same id, once) and crossposts only in announcement channels', async () => {
    const general = client.channels.cache.get(fake.channels.general) as TextChannel;
    const post = await general.send({ embeds: [{ title: '讨论' }] });
    const thread = await post.startThread({ name: '讨论：乌镇', autoArchiveDuration: 1440 });
    expect([thread.id, thread.type, thread.parentId]).toEqual([post.id, ChannelType.PublicThread, general.id]);
    expect(fake.thread(post.id)).toMatchObject({ kind: 'from-message', autoArchiveDuration: 1440 });
    expect(fake.message(post.id)?.message.flags).toBe(MessageFlags.HasThread);
    const again = await apiError(client.rest.post(Routes.threads(general.id, post.id), { body: { name: 'again' } }));
    expect(again.code).toBe(160004);
    expect((await apiError(post.crosspost())).code).toBe(50024);

    const announcements = client.channels.cache.get(fake.channels.announcements) as NewsChannel;
    const news = await announcements.send({ content: '公告' });
    await news.crosspost();
    // discord.js hands back its cached message; the answer itself carries the flag.
    expect(fake.message(news.id)?.message.flags).toBe(MessageFlags.Crossposted);
    expect(fake.message(news.id)?.crosspostedAt).toBeDefined();
    expect((await apiError(client.rest.post(Routes.channelMessageCrosspost(announcements.id, news.id)))).code).toBe(40033);
    const annThread = await news.startThread({ name: '公告讨论' });
    expect(annThread.type).toBe(ChannelType.AnnouncementThread);
  });

  it('edits keep the id, set edited_timestamp and the history; deleted messages answer 10008; archived threads 50083', async () => {
    const news = await forum({ name: '更正', tags: ['t'] });
    const thread = await news.threads.create({ name: '原标题', appliedTags: [news.availableTags[0]!.id], message: { embeds: [{ title: '原标题' }] } });
    const starter = (await thread.fetchStarterMessage())!;
    const edited = await starter.edit({ embeds: [{ title: '新标题', footer: { text: '已更新' } }] });
    expect(edited.id).toBe(thread.id);
    expect(edited.editedTimestamp).not.toBeNull();
    const history = fake.editHistory(thread.id);
    expect(history.map((v) => (v.message.embeds as Array<{ title: string }>)[0]?.title)).toEqual(['原标题', '新标题']);
    expect(history[1]?.message.edited_timestamp).toEqual(expect.any(String));
    expect(fake.messages(thread.id)).toHaveLength(1);

    fake.archiveThread(thread.id);
    expect((await apiError(client.rest.patch(Routes.channelMessage(thread.id, thread.id), { body: { content: 'x' } }))).code).toBe(50083);
    fake.unarchiveThread(thread.id);

    const general = client.channels.cache.get(fake.channels.general) as TextChannel;
    const doomed = await general.send('将被删除');
    fake.deleteMessage(doomed.id);
    expect(fake.message(doomed.id)).toMatchObject({ deleted: true, deletedBy: 'moderator' });
    expect((await apiError(doomed.edit('更正'))).code).toBe(10008);
    expect(fake.editHistory(doomed.id)).toHaveLength(1);
    expect(fake.specChecked.get('update_message')).toBeGreaterThanOrEqual(2);
  });

  it('resolves channel and role options (a forum, a role) and sends commands from inside a thread with the thread as channel', async () => {
    const guild = client.guilds.cache.get(fake.guildId)!;
    await guild.commands.set([{
      name: 'subscribe', description: 'subscribe',
      options: [
        { type: 7, name: 'channel', description: 'channel', required: true },
        { type: 8, name: 'mention', description: 'role' },
      ],
    }]);
    const board = await forum({ name: '订阅论坛', tags: ['嘉兴'] });
    const role = fake.createRole({ name: '嘉兴订阅', mentionable: true });
    const seen = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      await i.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
      const channel = i.options.getChannel('channel', true);
      return [channel.id, channel.type, i.options.getRole('mention')?.id, i.channel?.type];
    });
    const thread = await board.threads.create({ name: '帖子', message: { content: 'x' } });
    fake.slash({ name: 'subscribe', options: { channel: board.id, mention: role.id }, user: 'moderator', channelId: thread.id });
    await expect(seen).resolves.toEqual([board.id, ChannelType.GuildForum, role.id, ChannelType.PublicThread]);
  });

  it('enforces an opt-in crosspost limit with Retry-After, which discord.js waits out', async () => {
    const limited = await startFakeDiscord({ crosspostLimit: { perChannel: 1, windowMs: 300 } });
    const c = await connect(limited);
    try {
      const ann = c.client.channels.cache.get(limited.channels.announcements) as NewsChannel;
      const a = await ann.send('一');
      const b = await ann.send('二');
      await a.crosspost();
      const raw = await fetch(`${limited.apiBase}/v10/channels/${ann.id}/messages/${b.id}/crosspost`, { method: 'POST', headers: { authorization: `Bot ${limited.token}` } });
      expect([raw.status, Number(raw.headers.get('retry-after')) > 0]).toEqual([429, true]);
      await b.crosspost();
      expect([a.id, b.id].map((id) => limited.message(id)?.message.flags)).toEqual([MessageFlags.Crossposted, MessageFlags.Crossposted]);
    } finally {
      await c.client.destroy();
      await limited.close();
    }
  });

  it('saw no client errors, no unknown routes and no internal errors', () => {
    expect(errors).toEqual([]);
    expect(fake.unknownRoutes).toEqual([]);
    expect(fake.internalErrors).toEqual([]);
  });
});

describe('sharding', () => {
  it('recommends the configured shard count; each shard gets the guilds Discord would route to it', async () => {
    const base = defaultGuildSeed();
    // A second guild whose id lands on the other shard of two.
    let id = BigInt(base.id) + (1n << 22n);
    if (shardOf(id.toString(), 2) === shardOf(base.id, 2)) id += 1n << 22n;
    const second: GuildSeed = {
      id: id.toString(), name: '第二服', roles: [{ id: id.toString(), name: '@everyone', permissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages }],
      members: [], channels: [{ id: (id + 1n).toString(), name: 'news' }],
    };
    const fake = await startFakeDiscord({ guilds: [base, second], shards: 2, maxConcurrency: 2 });
    const client = new Client({ intents: [GatewayIntentBits.Guilds], shards: 'auto', rest: { api: fake.apiBase }, waitGuildTimeout: 300 });
    client.on(Events.Error, () => undefined);
    try {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(fake.token);
      await ready;
      expect(fake.identifies.map((i) => i.shard).sort()).toEqual([[0, 2], [1, 2]]);
      expect(client.guilds.cache.map((g) => [g.id, g.shardId]).sort()).toEqual(
        [[base.id, shardOf(base.id, 2)], [second.id, shardOf(second.id, 2)]].sort(),
      );
    } finally {
      await client.destroy();
      await fake.close();
    }
  });
});
