/**
 * The environment for a child process under test, built from scratch (so the developer's own settings
 * never leak in) except for PATH and the faked clock: CI runs the suite under libfaketime (LD_PRELOAD,
 * FAKETIME*), and a child on the real clock would refuse the parent's signed requests as stale.
 */
export function childEnv(env: Record<string, string>): Record<string, string> {
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && (entry[0] === 'PATH' || entry[0] === 'LD_PRELOAD' || entry[0].startsWith('FAKETIME')),
  );
  return { ...Object.fromEntries(inherited), ...env };
}
