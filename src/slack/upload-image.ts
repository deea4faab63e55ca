import type { WebClient } from '@slack/web-api';

export interface ImageUpload {
  png: Uint8Array;
  filename: string;
  title: string;
  altText: string;
  /** Shared there (in the thread, with `threadTs`); without it the file stays private to the bot, for an image block. */
  channel?: string;
  threadTs?: string;
}

/**
 * Uploads a PNG with Slack's external upload flow, as the WebClient's files.uploadV2 does it
 * (files.getUploadURLExternal → POST the bytes to the upload_url → files.completeUploadExternal); the file's id.
 */
export async function uploadImage(slack: WebClient, upload: ImageUpload): Promise<string> {
  const file = { file: Buffer.from(upload.png), filename: upload.filename, title: upload.title, alt_text: upload.altText };
  const where = upload.channel ? { channel_id: upload.channel, ...(upload.threadTs ? { thread_ts: upload.threadTs } : {}) } : {};
  const done = await slack.filesUploadV2({ ...file, ...where });
  const completed = (done.files as { files?: { id?: string }[] }[] | undefined)?.[0]?.files?.[0]?.id;
  if (!completed) throw new Error('Slack completed the upload without naming the file');
  return completed;
}
