/**
 * The Whop API version the bot is built against, sent as `Api-Version-Date` on every request: the default of
 * @whop/sdk 0.0.42, whose types are the shapes the bot reads. Pinned here, so that neither a newer SDK's default
 * nor a WHOP_API_VERSION variable can change those shapes under it. Raise it together with the SDK, after
 * checking what the new version changes; the sandbox serves this version only.
 */
export const WHOP_API_VERSION = '2026-07-20';
