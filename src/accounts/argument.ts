/** `account:acme` anywhere in a command's text; the name is checked against the accounts, not here. */
const ACCOUNT_ARGUMENT = /(^|\s)account:(\S*)(?=\s|$)/i;

/** The account a command names, and its text without that argument, for the command's usual parsing. */
export function takeAccountArgument(text: string): { name: string | null; text: string } {
  const found = ACCOUNT_ARGUMENT.exec(text);
  if (!found) return { name: null, text };
  const rest = `${text.slice(0, found.index)}${found[1]}${text.slice(found.index + found[0].length)}`;
  return { name: (found[2] ?? '').toLowerCase(), text: rest.replace(/\s+/g, ' ').trim() };
}
