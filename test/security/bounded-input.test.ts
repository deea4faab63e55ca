// The bot's own source, read as a reviewer would: every regular expression in src/ and blocks/ is put through a ReDoS
// checker, and every text input the bot shows has a max_length. Both are found by parsing the code, so a pattern or
// an input added later is checked without anyone listing it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { check, type Diagnostics } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const DIRS = ['src', 'blocks'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

const parsed = DIRS.flatMap(sourceFiles).map((file) => ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true));

function nodes(source: ts.SourceFile): ts.Node[] {
  const all: ts.Node[] = [];
  const visit = (node: ts.Node) => {
    all.push(node);
    node.forEachChild(visit);
  };
  visit(source);
  return all;
}

const where = (node: ts.Node) => {
  const source = node.getSourceFile();
  return `${source.fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
};

const literalText = (node: ts.Node | undefined): string | undefined => (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined);

interface Pattern {
  at: string;
  source: string;
  flags: string;
}

/**
 * Patterns built at run time, which no checker can read from the code: each is listed here with why it is safe,
 * by file and code (spaces collapsed), so a new one, or a changed one, fails until someone has looked at it.
 */
const BUILT_AT_RUN_TIME: Record<string, string> = {
  "src/slack/actions/unknown-action.ts: new RegExp(k.source, k.flags.replace('g', ''))":
    'a listener’s own pattern again without its g flag; each is a literal checked where it is written',
  'blocks/action-result.ts: new RegExp(`^${emojis} ${escapeRegExp(name)}: `)': 'anchored; fixed emoji codes and a title, escaped, so it matches as plain text',
  'blocks/action-result.ts: new RegExp(`^${emojis} (?:Paused|Unpaused) by `)': 'anchored; fixed emoji codes and words',
  'blocks/action-result.ts: new RegExp(`\\\\*${escapeRegExp(title(entity.title, entity.id, 60))}\\\\* \\\\(${escapeRegExp(noun(entity.kind))}, [^)\\\\n]*\\\\)`)':
    'an escaped title and noun as plain text, then one class up to the next ) or line end: one way to match each start',
  'blocks/ad-group-card.ts: new RegExp(`${SHARED_BY}<@([UW][A-Z0-9]+)>`)': 'fixed words then a Slack user mention',
};

const dynamic: string[] = [];

/** Regex literals, `new RegExp('…')` / `RegExp('…')`, and the string patterns `.match('…')` and `.search('…')` compile. */
function patternsIn(file: ts.SourceFile): Pattern[] {
  return nodes(file).flatMap((node): Pattern[] => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText();
      const end = text.lastIndexOf('/');
      return [{ at: where(node), source: text.slice(1, end), flags: text.slice(end + 1) }];
    }
    const isRegExpCall = (ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp';
    if (isRegExpCall) {
      const [pattern, flags] = node.arguments ?? [];
      const source = literalText(pattern);
      const flagText = flags === undefined ? '' : literalText(flags);
      if (source !== undefined && flagText !== undefined) return [{ at: where(node), source, flags: flagText }];
      // Keyed by the call's arguments, not by how the code is laid out, so a reformat leaves the key as it is.
      const args = (node.arguments ?? []).map((arg) => arg.getText().replace(/\s+/g, ' ')).join(', ');
      dynamic.push(`${file.fileName}: ${ts.isNewExpression(node) ? 'new ' : ''}RegExp(${args})`);
      return [];
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['match', 'matchAll', 'search'].includes(node.expression.name.text)) {
      const source = literalText(node.arguments[0]);
      if (source !== undefined) return [{ at: where(node), source, flags: '' }];
    }
    return [];
  });
}

const patterns = parsed.flatMap(patternsIn);

// recheck runs its native checker where its optional binary is installed (all of them in about 3 s here); without
// it, the jar (with Java) or its pure JavaScript build, both offline and ten to twenty times slower: the logger's
// JSON-key pattern alone then takes about 20 s, so each pattern has 30 s before it counts as unchecked.
const CHECK_TIMEOUT_MS = 30_000;

describe('regular expressions in src/ and blocks/', () => {
  it('are found in the code (regex literals and RegExp calls)', () => {
    expect(patterns.length).toBeGreaterThan(40);
    expect(patterns.map((p) => p.at)).toContainEqual(expect.stringMatching(/^src\/slack\/commands\/parse\.ts:\d+$/));
  });

  it('built at run time, are each one someone has reviewed', () => {
    expect(dynamic.filter((expression) => !(expression in BUILT_AT_RUN_TIME))).toEqual([]);
    expect(Object.keys(BUILT_AT_RUN_TIME).filter((expression) => !dynamic.includes(expression))).toEqual([]);
  });

  it('cannot backtrack catastrophically: recheck calls each one safe', async () => {
    const results = await Promise.all(patterns.map(async (p) => ({ ...p, result: await check(p.source, p.flags, { timeout: CHECK_TIMEOUT_MS }) })));
    const problem = (d: Diagnostics) =>
      d.status === 'vulnerable'
        ? `${d.complexity.summary}, e.g. ${JSON.stringify(d.attack.pattern)}`
        : d.status === 'unknown'
          ? `not checked: ${d.error.kind}${'message' in d.error ? ` ${d.error.message}` : ''}`
          : null;
    const unsafe = results.flatMap((r) => {
      const why = problem(r.result);
      return why === null ? [] : [`${r.at} /${r.source}/${r.flags}: ${why}`];
    });
    expect(unsafe).toEqual([]);
  }, 120_000);
});

describe('text inputs the bot shows', () => {
  const property = (object: ts.ObjectLiteralExpression, name: string) =>
    object.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === name);
  const inputs = parsed.flatMap((source) =>
    nodes(source).filter(
      (node): node is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(node) && literalText(property(node, 'type')?.initializer) === 'plain_text_input',
    ),
  );

  it('each have a max_length', () => {
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.filter((input) => !property(input, 'max_length')).map(where)).toEqual([]);
  });
});
