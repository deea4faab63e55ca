// The state behind the fake Web API (messages, views, triggers) and the methods that
// change it, answering with Slack's own shapes and error codes. No HTTP here.
import { blockKitProblems, blocksCharCount, homeProblems, MAX_MESSAGE_BLOCKS_CHARS, modalProblems } from './block-kit-rules';
import { APP_ID, BOT, TEAM } from './test-workspace';

export type Args = Record<string, unknown>;
export type Answer = { ok: boolean; error?: string } & Record<string, unknown>;

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks: unknown[];
  updates: number;
}

export interface StoredView {
  id: string;
  view: Record<string, unknown>;
  hash: string;
  updates: number;
}

/** Someone `users.info` answers differently from a full member of the workspace. */
export interface FakeUser {
  /** Slack's two kinds of guest: `multi_channel` is `is_restricted`, `single_channel` is both flags. */
  guest?: 'multi_channel' | 'single_channel';
  /** Another organisation's team, for a person met in a Slack Connect channel. */
  team_id?: string;
}

export interface WorkspaceOptions {
  /** Known channel ids; any other id is `channel_not_found`. Unset: every id exists. */
  channels?: string[];
  userGroups?: Record<string, string[]>;
  /** Guests and people of other organisations; every other U…/W… id is a full member of the workspace. */
  users?: Record<string, FakeUser>;
  /** Set: the workspace belongs to this Enterprise Grid organisation, as auth.test and users.info then say. */
  enterprise?: { id: string; name: string };
  /** Private channels (conversations.join refuses them); every other known channel is public. */
  privateChannels?: string[];
  /** Channels the bot is not a member of: posting there is `not_in_channel` until it joins or is invited. */
  notMemberOf?: string[];
}

const MAX_TEXT_CHARS = 40_000;
const TRIGGER_LIFETIME_MS = 3_000;
const TRIGGER_ID = /^\d+\.\d+\.[0-9a-f]+$/;
const FIRST_TS_SECONDS = 1_732_540_000;

const fail = (error: string): Answer => ({ ok: false, error });
const rejected = (error: string, problems: string[]): Answer => ({
  ok: false,
  error,
  errors: problems,
  response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
});
const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export class SlackWorkspace {
  private stored: StoredMessage[] = [];
  private openViews = new Map<string, StoredView>();
  private issuedTriggers = new Map<string, number>();
  private exchangedTriggers = new Set<string>();
  private sequence = 0;
  private readonly channels: Set<string> | undefined;
  private outside: Set<string>;
  private homes = new Map<string, StoredView>();

  constructor(private readonly opts: WorkspaceOptions) {
    this.channels = opts.channels && new Set(opts.channels);
    this.outside = new Set(opts.notMemberOf);
  }

  /** The Home tab last published for a user. */
  home(userId: string): StoredView | undefined {
    return this.homes.get(userId);
  }

  /** The bot is added to a channel (someone invited it); the event Slack then sends is the test's to send. */
  invite(channel: string): void {
    this.outside.delete(channel);
  }

  call(method: string, args: Args): Answer {
    const handler = this.methods[method];
    return handler ? handler(args) : fail('unknown_method');
  }

  messages(channel?: string): StoredMessage[] {
    return this.stored.filter((m) => channel === undefined || m.channel === channel);
  }

  views(): StoredView[] {
    return [...this.openViews.values()];
  }

  /**
   * The replies a person sees on opening the thread of a top-level message. Slack's threads are one level
   * deep ("avoid using a reply's ts value; use its parent's instead"): a message posted with a reply's ts
   * as its thread_ts is accepted but shows in no thread, so it is listed under none here.
   */
  thread(channel: string, parentTs: string): StoredMessage[] {
    const parent = this.stored.find((m) => m.channel === channel && m.ts === parentTs);
    if (!parent || parent.thread_ts) return [];
    return this.stored.filter((m) => m.channel === channel && m.thread_ts === parentTs);
  }

  /** A trigger_id that, like Slack's, expires 3 s after now. Ids not issued here never expire. */
  issueTriggerId(): string {
    const id = `${Date.now()}.${++this.sequence}.${'0'.repeat(8)}${this.sequence.toString(16)}`;
    this.issuedTriggers.set(id, Date.now());
    return id;
  }

  answerViewSubmission(viewId: string, answer: unknown): void {
    const action = typeof answer === 'object' && answer !== null ? (answer as Args).response_action : undefined;
    if (action === 'errors') return;
    if (action === 'push') throw new Error('response_action push is not modelled by the fake');
    const stored = this.openViews.get(viewId);
    if (action !== 'update' || !stored) return void this.openViews.delete(viewId);
    const problems = modalProblems((answer as Args).view);
    if (problems.length > 0) throw new Error(`Slack would refuse the updated view: ${problems.join('; ')}`);
    stored.view = (answer as Args).view as Record<string, unknown>;
    stored.hash = this.nextHash();
    stored.updates += 1;
  }

  reset(): void {
    this.stored = [];
    this.openViews.clear();
    this.issuedTriggers.clear();
    this.exchangedTriggers.clear();
    this.homes.clear();
    this.outside = new Set(this.opts.notMemberOf);
  }

  private readonly methods: Record<string, (args: Args) => Answer> = {
    'auth.test': () => ({
      ok: true,
      url: `https://${TEAM.domain}.slack.com/`,
      team: TEAM.name,
      user: BOT.name,
      team_id: TEAM.id,
      user_id: BOT.userId,
      bot_id: BOT.botId,
      app_id: APP_ID,
      ...(this.opts.enterprise && { enterprise_id: this.opts.enterprise.id }),
      is_enterprise_install: false,
    }),

    'chat.postMessage': (args) => {
      const channel = this.resolveChannel(args.channel);
      if (!channel) return fail('channel_not_found');
      if (this.outside.has(channel)) return fail('not_in_channel');
      const refused = contentProblem(args);
      if (refused) return refused;
      const message: StoredMessage = {
        channel,
        ts: this.nextTs(),
        ...(nonEmpty(args.thread_ts) && { thread_ts: nonEmpty(args.thread_ts) }),
        text: nonEmpty(args.text) ?? '',
        blocks: this.withBlockIds(args.blocks),
        updates: 0,
      };
      this.stored.push(message);
      return { ok: true, channel, ts: message.ts, message: wireMessage(message) };
    },

    'chat.update': (args) => {
      const channel = this.resolveChannel(args.channel);
      if (!channel) return fail('channel_not_found');
      const message = this.stored.find((m) => m.channel === channel && m.ts === args.ts);
      if (!message) return fail('message_not_found');
      const refused = contentProblem(args);
      if (refused) return refused;
      // Slack keeps whatever the update leaves out; an empty `blocks` array clears them.
      if (typeof args.text === 'string') message.text = args.text;
      if (Array.isArray(args.blocks)) message.blocks = this.withBlockIds(args.blocks);
      message.updates += 1;
      return { ok: true, channel, ts: message.ts, text: message.text, message: wireMessage(message) };
    },

    'chat.postEphemeral': (args) => {
      const channel = this.resolveChannel(args.channel);
      if (!channel) return fail('channel_not_found');
      if (!nonEmpty(args.user)) return rejected('invalid_arguments', ['missing required field: user']);
      return contentProblem(args) ?? { ok: true, message_ts: this.nextTs() };
    },

    'views.open': (args) => {
      const trigger = nonEmpty(args.trigger_id);
      if (!trigger) return rejected('invalid_arguments', ['missing required field: trigger_id']);
      if (!TRIGGER_ID.test(trigger)) return fail('invalid_trigger_id');
      if (this.exchangedTriggers.has(trigger)) return fail('exchanged_trigger_id');
      const issuedAt = this.issuedTriggers.get(trigger);
      if (issuedAt !== undefined && Date.now() - issuedAt > TRIGGER_LIFETIME_MS) return fail('expired_trigger_id');
      const problems = modalProblems(args.view);
      if (problems.length > 0) return rejected('invalid_arguments', problems);
      this.exchangedTriggers.add(trigger);
      const stored: StoredView = {
        id: `V${String(++this.sequence).padStart(8, '0')}`,
        view: args.view as Record<string, unknown>,
        hash: this.nextHash(),
        updates: 0,
      };
      this.openViews.set(stored.id, stored);
      return { ok: true, view: wireView(stored) };
    },

    'views.update': (args) => {
      const stored = this.views().find((v) => v.id === args.view_id || (nonEmpty(args.external_id) && v.view.external_id === args.external_id));
      if (!stored) return fail('not_found');
      if (nonEmpty(args.hash) && args.hash !== stored.hash) return fail('hash_conflict');
      const problems = modalProblems(args.view);
      if (problems.length > 0) return rejected('invalid_arguments', problems);
      stored.view = args.view as Record<string, unknown>;
      stored.hash = this.nextHash();
      stored.updates += 1;
      return { ok: true, view: wireView(stored) };
    },

    // As Slack answers a bot token: a private channel the bot is not in is not found at all.
    'conversations.info': (args) => {
      const channel = this.resolveChannel(args.channel);
      const isPrivate = channel !== undefined && (this.opts.privateChannels ?? []).includes(channel);
      if (!channel || (isPrivate && this.outside.has(channel))) return fail('channel_not_found');
      return { ok: true, channel: this.channelObject(channel, isPrivate) };
    },

    'conversations.join': (args) => {
      const channel = this.resolveChannel(args.channel);
      if (!channel) return fail('channel_not_found');
      if ((this.opts.privateChannels ?? []).includes(channel)) return fail('method_not_supported_for_channel_type');
      const already = !this.outside.has(channel);
      this.outside.delete(channel);
      return { ok: true, channel: this.channelObject(channel, false), ...(already && { warning: 'already_in_channel' }) };
    },

    'views.publish': (args) => {
      const user = nonEmpty(args.user_id);
      if (!user) return rejected('invalid_arguments', ['missing required field: user_id']);
      if (!/^[UW][A-Z0-9]+$/.test(user)) return fail('user_not_found');
      const problems = homeProblems(args.view);
      if (problems.length > 0) return rejected('invalid_arguments', problems);
      const previous = this.homes.get(user);
      if (nonEmpty(args.hash) && previous && args.hash !== previous.hash) return fail('hash_conflict');
      const stored: StoredView = {
        id: previous?.id ?? `V${String(++this.sequence).padStart(8, '0')}`,
        view: args.view as Record<string, unknown>,
        hash: this.nextHash(),
        updates: (previous?.updates ?? -1) + 1,
      };
      this.homes.set(user, stored);
      return { ok: true, view: wireView(stored) };
    },

    'usergroups.users.list': (args) => {
      const users = typeof args.usergroup === 'string' ? this.opts.userGroups?.[args.usergroup] : undefined;
      return users ? { ok: true, users } : fail('no_such_subteam');
    },

    'users.info': (args) => {
      const id = nonEmpty(args.user);
      if (!id || !/^[UW][A-Z0-9]+$/.test(id)) return fail('user_not_found');
      const known = this.opts.users?.[id] ?? {};
      const teamId = known.team_id ?? TEAM.id;
      const { enterprise } = this.opts;
      return {
        ok: true,
        user: {
          id,
          team_id: teamId,
          name: id.toLowerCase(),
          deleted: false,
          real_name: `User ${id}`,
          tz: 'UTC',
          is_admin: false,
          is_owner: false,
          is_primary_owner: false,
          is_restricted: known.guest !== undefined,
          is_ultra_restricted: known.guest === 'single_channel',
          is_bot: false,
          is_app_user: false,
          updated: FIRST_TS_SECONDS,
          // Slack adds this on Enterprise Grid for the organisation's own people.
          ...(enterprise && teamId === TEAM.id && { enterprise_user: { id, enterprise_id: enterprise.id, enterprise_name: enterprise.name, teams: [TEAM.id] } }),
        },
      };
    },
  };

  private channelObject(id: string, isPrivate: boolean): Record<string, unknown> {
    return {
      id,
      name: `channel-${id.toLowerCase()}`,
      is_channel: !isPrivate,
      is_group: isPrivate,
      is_im: false,
      is_private: isPrivate,
      is_archived: false,
      is_general: false,
      is_member: !this.outside.has(id),
      created: FIRST_TS_SECONDS,
      creator: 'U0ADMIN',
      context_team_id: TEAM.id,
    };
  }

  private resolveChannel(raw: unknown): string | undefined {
    const id = nonEmpty(raw);
    if (!id) return undefined;
    // Posting to a user id goes to the app's DM with them, which Slack answers with a D… id.
    if (/^[UW]/.test(id)) return `D${id.slice(1)}`;
    if (!this.channels || id.startsWith('D') || this.channels.has(id)) return id;
    return undefined;
  }

  // Slack stores every block with a block_id, making one up where the app gave none.
  private withBlockIds(blocks: unknown): unknown[] {
    if (!Array.isArray(blocks)) return [];
    return blocks.map((b: Record<string, unknown>) => ('block_id' in b ? b : { ...b, block_id: `auto${++this.sequence}` }));
  }

  // Increasing, unique and deterministic, shaped like Slack's `1732540000.000100`.
  private nextTs(): string {
    const micros = ++this.sequence * 100;
    return `${FIRST_TS_SECONDS + Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  private nextHash(): string {
    return `${FIRST_TS_SECONDS}.${++this.sequence}`;
  }
}

function contentProblem(args: Args): Answer | undefined {
  if (args.blocks !== undefined && !Array.isArray(args.blocks)) {
    return rejected('invalid_blocks_format', ['blocks must be a JSON array [json-pointer:/blocks]']);
  }
  const blocks = (args.blocks as unknown[] | undefined) ?? [];
  const body = typeof args.text === 'string' ? args.text : '';
  if (body === '' && blocks.length === 0 && args.attachments === undefined) return fail('no_text');
  if (body.length > MAX_TEXT_CHARS) return fail('msg_too_long');
  const problems = blockKitProblems(blocks, 'message');
  if (problems.length > 0) return rejected('invalid_blocks', problems);
  if (blocksCharCount(blocks) > MAX_MESSAGE_BLOCKS_CHARS) return fail('msg_blocks_too_long');
  return undefined;
}

function wireMessage(m: StoredMessage): Record<string, unknown> {
  return {
    type: 'message',
    user: BOT.userId,
    bot_id: BOT.botId,
    app_id: APP_ID,
    team: TEAM.id,
    text: m.text,
    blocks: m.blocks,
    ts: m.ts,
    ...(m.thread_ts && { thread_ts: m.thread_ts }),
  };
}

function wireView(v: StoredView): Record<string, unknown> {
  return {
    ...v.view,
    id: v.id,
    team_id: TEAM.id,
    state: { values: {} },
    hash: v.hash,
    root_view_id: v.id,
    previous_view_id: null,
    app_id: APP_ID,
    bot_id: BOT.botId,
  };
}
