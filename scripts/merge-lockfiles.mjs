#!/usr/bin/env node
/*
 * Merges two generated files that differ by one template option into one nunjucks template
 * (fetch:template syntax) that renders back to each of them byte for byte: the file generated
 * without the option, plus `{% if <condition> %}` blocks for what only the file generated with
 * it has (and `{% else %}` / `{% if not (<condition>) %}` for what only the first one has).
 *
 * Usage:
 *   node scripts/merge-lockfiles.mjs [--name <text>] <without.json> <with.json> <condition> > out
 *   node scripts/merge-lockfiles.mjs --lines <without> <with> <condition> > out
 *
 *   <condition>   a nunjucks expression, e.g. values.database
 *   --name <text> (JSON mode) written raw as the root project's name (the top-level "name" and
 *                 packages[""].name of an npm lockfile), e.g. '${{ values.name }}'; both inputs
 *                 must have the same name
 *   --lines       compares line by line (e.g. go.sum) instead of as JSON
 *
 * JSON mode is for npm lockfiles (lockfileVersion 3): both inputs must be formatted as npm
 * writes them (2-space JSON and a final newline). Objects are merged key by key, so the root
 * project's dependency lists get conditional entries; an entry of "packages" other than the
 * root project that differs between the inputs is kept whole in both versions. Commas are
 * placed so that each rendering is valid JSON, formatted exactly as the input.
 *
 * The output assumes fetch:template's defaults, which every Runway skeleton relies on:
 * trimBlocks and lstripBlocks off. Before writing it, the script renders it for both values of
 * the condition with a small renderer of the tags it emits, and fails unless that gives back
 * both inputs exactly. It also fails when an input contains nunjucks syntax.
 *
 * Example: the package-lock.json template of templates/skeletons/typescript. Render the
 * skeleton twice (database false and true) with the template harness, run `npm install` in
 * each rendering, then
 *   node scripts/merge-lockfiles.mjs --name '${{ values.name }}' \
 *     /tmp/without/package-lock.json /tmp/with/package-lock.json values.database \
 *     > templates/skeletons/typescript/package-lock.json
 *
 * No dependencies; the output depends only on the inputs.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

/** A value written as is, not as JSON (the templated project name). */
class Raw {
  constructor(text) {
    this.text = text;
  }
}

const usage =
  'usage: node scripts/merge-lockfiles.mjs [--name <text>] [--lines] <without> <with> <condition>';

function fail(message) {
  process.stderr.write(`merge-lockfiles: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const options = { name: undefined, lines: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--name') {
      options.name = argv[++i];
      if (options.name === undefined) fail(`--name needs a value\n${usage}`);
    } else if (argv[i] === '--lines') {
      options.lines = true;
    } else if (argv[i].startsWith('--')) {
      fail(`unknown option ${argv[i]}\n${usage}`);
    } else {
      options.files.push(argv[i]);
    }
  }
  if (options.files.length !== 3) fail(usage);
  if (options.lines && options.name !== undefined)
    fail('--name applies to JSON mode only');
  return options;
}

/** Refuses input that nunjucks would interpret. */
function checkNoTemplateSyntax(text, file) {
  for (const token of ['{%', '{#', '${{']) {
    if (text.includes(token))
      fail(`${file} contains ${token}, which nunjucks would interpret`);
  }
}

const tags = condition => ({
  ifWith: `{% if ${condition} %}`,
  ifWithout: `{% if not (${condition}) %}`,
  else: '{% else %}',
  endif: '{% endif %}',
});

// ---------------------------------------------------------------------------------------------
// Line mode

/** The longest common subsequence of a and b, as pairs of indexes. */
function lcs(a, b) {
  const n = a.length;
  const m = b.length;
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i][j] =
        a[i] === b[j]
          ? lengths[i + 1][j + 1] + 1
          : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const pairs = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) {
      pairs.push([i++, j++]);
    } else if (lengths[i + 1][j] >= lengths[i][j + 1]) {
      i++;
    } else {
      j++;
    }
  }
  return pairs;
}

/** Lines with their line breaks, so that a file without a final newline stays one. */
const splitLines = text => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

function mergeLines(without, withOption, condition) {
  const t = tags(condition);
  const a = splitLines(without);
  const b = splitLines(withOption);
  let out = '';
  let i = 0;
  let j = 0;
  const flush = (untilA, untilB) => {
    const onlyA = a.slice(i, untilA).join('');
    const onlyB = b.slice(j, untilB).join('');
    if (onlyA && onlyB) out += `${t.ifWith}${onlyB}${t.else}${onlyA}${t.endif}`;
    else if (onlyB) out += `${t.ifWith}${onlyB}${t.endif}`;
    else if (onlyA) out += `${t.ifWithout}${onlyA}${t.endif}`;
    i = untilA;
    j = untilB;
  };
  for (const [ia, ib] of lcs(a, b)) {
    flush(ia, ib);
    out += a[ia];
    i++;
    j++;
  }
  flush(a.length, b.length);
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON mode

const isObject = v =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof Raw);
const pad = depth => '  '.repeat(depth);

/** JSON.stringify(value, null, 2) at an indentation depth, with Raw values written as is. */
function serialize(value, depth) {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map(v => pad(depth + 1) + serialize(v, depth + 1));
    return `[\n${items.join(',\n')}\n${pad(depth)}]`;
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    const entries = keys.map(
      k =>
        `${pad(depth + 1)}${JSON.stringify(k)}: ${serialize(
          value[k],
          depth + 1,
        )}`,
    );
    return `{\n${entries.join(',\n')}\n${pad(depth)}}`;
  }
  return JSON.stringify(value);
}

const same = (a, b) =>
  a instanceof Raw || b instanceof Raw
    ? a instanceof Raw && b instanceof Raw && a.text === b.text
    : isDeepStrictEqual(a, b);

/**
 * The keys of a and b in one order that keeps the order of each, or undefined when the keys
 * they share are in different orders.
 */
function mergeKeys(aKeys, bKeys) {
  const pairs = lcs(aKeys, bKeys);
  const shared = new Set(pairs.map(([i]) => aKeys[i]));
  if (shared.size !== aKeys.filter(k => bKeys.includes(k)).length)
    return undefined;
  const merged = [];
  let i = 0;
  let j = 0;
  for (const [ia, ib] of pairs) {
    while (i < ia) merged.push({ key: aKeys[i++], in: 'a' });
    while (j < ib) merged.push({ key: bKeys[j++], in: 'b' });
    merged.push({ key: aKeys[ia], in: 'both' });
    i = ia + 1;
    j = ib + 1;
  }
  while (i < aKeys.length) merged.push({ key: aKeys[i++], in: 'a' });
  while (j < bKeys.length) merged.push({ key: bKeys[j++], in: 'b' });
  return merged;
}

/** Whether the objects at path are merged key by key rather than kept whole. */
function mergeable(path) {
  // Entries of "packages" are packages: different versions are different entries. The root
  // project ("") is merged, for its dependency lists.
  return !(path.length === 2 && path[0] === 'packages' && path[1] !== '');
}

/** Template text that renders to serialize(a) without the option and serialize(b) with it. */
function mergeValues(a, b, depth, path, t) {
  if (same(a, b)) return serialize(a, depth);
  const whole = `${t.ifWith}${serialize(b, depth)}${t.else}${serialize(
    a,
    depth,
  )}${t.endif}`;
  if (!isObject(a) || !isObject(b) || !mergeable(path)) return whole;
  const keys = mergeKeys(Object.keys(a), Object.keys(b));
  // Commas go before entries, so the first entry must be in both.
  if (!keys || keys[0]?.in !== 'both') return whole;

  const entry = (key, value) =>
    `${pad(depth + 1)}${JSON.stringify(key)}: ${value}`;
  let out = '{\n';
  for (let k = 0; k < keys.length; ) {
    const { key, in: where } = keys[k];
    const p = [...path, key];
    if (where === 'both') {
      const av = a[key];
      const bv = b[key];
      if (k > 0) {
        if (!same(av, bv) && !(isObject(av) && isObject(bv) && mergeable(p))) {
          // The whole entry, in one version or the other.
          out += `${t.ifWith},\n${entry(key, serialize(bv, depth + 1))}${
            t.else
          },\n${entry(key, serialize(av, depth + 1))}${t.endif}`;
          k++;
          continue;
        }
        out += ',\n';
      }
      out += entry(key, mergeValues(av, bv, depth + 1, p, t));
      k++;
      continue;
    }
    // A run of entries found in one input only: one conditional block.
    let text = '';
    while (k < keys.length && keys[k].in === where) {
      const only = keys[k].key;
      text += `,\n${entry(
        only,
        serialize((where === 'a' ? a : b)[only], depth + 1),
      )}`;
      k++;
    }
    out += `${where === 'b' ? t.ifWith : t.ifWithout}${text}${t.endif}`;
  }
  return `${out}\n${pad(depth)}}`;
}

function withName(lockfile, name, file) {
  if (!isObject(lockfile) || !isObject(lockfile.packages?.['']))
    fail(`${file} is not an npm lockfile`);
  const original = lockfile.name;
  if (typeof original !== 'string' || lockfile.packages[''].name !== original) {
    fail(
      `${file}: the root project's name is not the same in "name" and packages[""].name`,
    );
  }
  if (JSON.stringify(name) !== `"${name}"`)
    fail('--name must not need escaping in JSON');
  const raw = new Raw(`"${name}"`);
  lockfile.name = raw;
  lockfile.packages[''].name = raw;
  return original;
}

function mergeJson(withoutText, withText, options, files) {
  const parse = (text, file) => {
    let value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      fail(`${file}: ${error.message}`);
    }
    if (`${JSON.stringify(value, null, 2)}\n` !== text) {
      fail(
        `${file} is not formatted as npm writes lockfiles (2-space JSON and a final newline)`,
      );
    }
    return value;
  };
  const a = parse(withoutText, files[0]);
  const b = parse(withText, files[1]);
  if (options.name !== undefined) {
    const nameA = withName(a, options.name, files[0]);
    const nameB = withName(b, options.name, files[1]);
    if (nameA !== nameB)
      fail(`the inputs name different projects: ${nameA} and ${nameB}`);
  }
  return `${mergeValues(a, b, 0, [], tags(options.condition))}\n`;
}

// ---------------------------------------------------------------------------------------------
// Self-check: render the output for both values of the condition.

/** Renders the if/else/endif tags that this script emits, for the condition's value. */
function render(template, condition, value) {
  const t = tags(condition);
  const tokens = template.split(
    /(\{% (?:if not \(.*?\)|if .*?|else|endif) %\})/,
  );
  const stack = [];
  let out = '';
  for (const token of tokens) {
    const active = () => stack.every(Boolean);
    if (token === t.ifWith) stack.push(value);
    else if (token === t.ifWithout) stack.push(!value);
    else if (token === t.else) stack.push(!stack.pop());
    else if (token === t.endif) stack.pop();
    else if (active()) out += token;
  }
  if (stack.length > 0) fail('internal error: unbalanced tags');
  return out;
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const [withoutFile, withFile, condition] = options.files;
  options.condition = condition;
  const read = file => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      return fail(`cannot read ${file}: ${error.message}`);
    }
  };
  const withoutText = read(withoutFile);
  const withText = read(withFile);
  checkNoTemplateSyntax(withoutText, withoutFile);
  checkNoTemplateSyntax(withText, withFile);

  const out = options.lines
    ? mergeLines(withoutText, withText, condition)
    : mergeJson(withoutText, withText, options, options.files);

  const name =
    options.name === undefined ? undefined : JSON.parse(withoutText).name;
  const expand = text =>
    name === undefined
      ? text
      : text.split(`"${options.name}"`).join(JSON.stringify(name));
  if (
    expand(render(out, condition, false)) !== withoutText ||
    expand(render(out, condition, true)) !== withText
  ) {
    fail(
      'internal error: the merged template does not render back to the inputs',
    );
  }
  process.stdout.write(out);
}

main();
