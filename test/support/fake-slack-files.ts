// Slack's external upload flow, as files.uploadV2 drives it: files.getUploadURLExternal hands out an upload_url on
// this fake (127.0.0.1), the bytes are POSTed there, files.completeUploadExternal finishes the file and shares it
// (with channel_id) or keeps it private to the uploader. A file whose bytes never came, or that was never
// completed, is neither shared nor usable in an image block, as in Slack.
import type { Answer, Args } from './fake-slack-workspace';

export interface StoredFile {
  id: string;
  filename: string;
  length: number;
  altText?: string;
  title?: string;
  bytes?: Buffer;
  completed: boolean;
  /** Where completeUploadExternal shared it; empty for a private file. */
  shares: { channel: string; thread_ts?: string }[];
}

const fail = (error: string): Answer => ({ ok: false, error });

export class FakeFiles {
  private readonly files = new Map<string, StoredFile>();
  private sequence = 0;

  constructor(
    private readonly origin: () => string,
    private readonly scopes: ReadonlySet<string>,
  ) {}

  list(): StoredFile[] {
    return [...this.files.values()];
  }

  /** A completed file, which an image block's slack_file may name. */
  usable(id: string): boolean {
    return this.files.get(id)?.completed === true;
  }

  reset(): void {
    this.files.clear();
  }

  private missingScope(): Answer | undefined {
    return this.scopes.has('files:write') ? undefined : { ok: false, error: 'missing_scope', needed: 'files:write', provided: [...this.scopes].join(',') };
  }

  getUploadURL(args: Args): Answer {
    const refused = this.missingScope();
    if (refused) return refused;
    const length = Number(args.length);
    if (typeof args.filename !== 'string' || args.filename === '' || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
    const id = `F${String(++this.sequence).padStart(9, '0')}`;
    const altText = typeof args.alt_txt === 'string' ? args.alt_txt : typeof args.alt_text === 'string' ? args.alt_text : undefined;
    this.files.set(id, { id, filename: args.filename, length, ...(altText ? { altText } : {}), completed: false, shares: [] });
    return { ok: true, upload_url: `${this.origin()}/upload/${id}`, file_id: id };
  }

  /**
   * The POST to an upload_url, raw bytes or multipart form-encoded (Slack takes either; the WebClient sends a form):
   * 200 with Slack's `OK - <bytes>`, 404 for a URL it never gave out or a file already completed.
   */
  receive(id: string, body: Buffer, contentType: string | undefined): { status: number; text: string } {
    const file = this.files.get(id);
    if (!file || file.completed) return { status: 404, text: 'not found' };
    const bytes = fileInForm(body, contentType);
    if (!bytes) return { status: 400, text: 'no file in the form' };
    file.bytes = bytes;
    return { status: 200, text: `OK - ${bytes.length}` };
  }

  complete(args: Args, channelKnown: (channel: string) => boolean): Answer {
    const refused = this.missingScope();
    if (refused) return refused;
    const list = Array.isArray(args.files) ? (args.files as { id?: unknown; title?: unknown }[]) : null;
    if (!list || list.length === 0) return fail('invalid_arguments');
    const files = list.map((f) => (typeof f.id === 'string' ? this.files.get(f.id) : undefined));
    // Bytes never sent to the upload_url, or an id never handed out: Slack has no such file to finish.
    if (files.some((f) => !f?.bytes || f.completed)) return fail('file_not_found');
    const channel = typeof args.channel_id === 'string' && args.channel_id !== '' ? args.channel_id : undefined;
    if (channel && !channelKnown(channel)) return fail('channel_not_found');
    const threadTs = typeof args.thread_ts === 'string' && args.thread_ts !== '' ? args.thread_ts : undefined;
    const done = files.flatMap((file, i) => {
      if (!file) return [];
      file.completed = true;
      const title = list[i]?.title;
      if (typeof title === 'string') file.title = title;
      if (channel) file.shares.push({ channel, ...(threadTs ? { thread_ts: threadTs } : {}) });
      return [{ id: file.id, name: file.filename, title: file.title ?? file.filename, mimetype: 'image/png', size: file.bytes?.length ?? 0, alt_txt: file.altText }];
    });
    return { ok: true, files: done };
  }
}

/** The body itself, or the first part of a multipart form that carries a filename. */
function fileInForm(body: Buffer, contentType: string | undefined): Buffer | undefined {
  const boundary = contentType?.match(/^multipart\/form-data;.*boundary=("?)([^";]+)\1/)?.[2];
  if (!boundary) return body;
  const marker = Buffer.from(`--${boundary}`);
  for (let at = body.indexOf(marker); at >= 0; ) {
    const next = body.indexOf(marker, at + marker.length);
    if (next < 0) return undefined;
    const part = body.subarray(at + marker.length, next);
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0 && /filename="/.test(part.subarray(0, split).toString('latin1'))) return part.subarray(split + 4, part.length - 2);
    at = next;
  }
  return undefined;
}
