import { DIGEST_NOT_BUILT } from '../../blocks/notices';
import { JobsThreadUnavailable } from '../jobs/thread';

/** Why a digest someone asked for was not posted, as digestRefused reads it: Slack's answer, or that the bot could not build it at all. */
export const digestRefusalCode = (err: unknown): string => (err instanceof JobsThreadUnavailable ? DIGEST_NOT_BUILT : ((err as { data?: { error?: string } }).data?.error ?? ''));
