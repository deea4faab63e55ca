// The one pretend workspace shared by the fake Web API and the request builders,
// so `auth.test`, payloads and stored messages all agree on who is who.
export const TEAM = { id: 'T0TEST', domain: 'whop-ads-test', name: 'Whop Ads Test' } as const;
export const APP_ID = 'A0TEST';
export const BOT = { userId: 'U0BOT', botId: 'B0BOT', name: 'whop-ads-bot' } as const;
// Slack still sends this deprecated verification token in every payload; Bolt ignores it.
export const VERIFICATION_TOKEN = 'verification-token-test';
