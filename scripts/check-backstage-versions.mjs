#!/usr/bin/env node
// Checks that yarn.lock holds exactly one version of every @backstage/* package,
// i.e. that the whole tree is one coherent Backstage release (see backstage.json).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const lock = readFileSync(`${root}/yarn.lock`, 'utf8');
const release = JSON.parse(
  readFileSync(`${root}/backstage.json`, 'utf8'),
).version;

const versions = new Map();
for (const [, name, version] of lock.matchAll(
  /^ {2}resolution: "(@backstage\/[^@]+)@npm:([^"]+)"$/gm,
)) {
  versions.set(name, [...(versions.get(name) ?? []), version]);
}

const mixed = [...versions].filter(([, v]) => v.length > 1);
if (versions.size === 0) {
  console.error(
    'check-backstage-versions: no @backstage/* package in yarn.lock',
  );
  process.exit(1);
}
if (mixed.length > 0) {
  console.error(
    `check-backstage-versions: yarn.lock mixes Backstage versions; pin them in package.json "resolutions":`,
  );
  for (const [name, v] of mixed) console.error(`  ${name}: ${v.join(', ')}`);
  process.exit(1);
}
console.log(
  `check-backstage-versions: ${versions.size} @backstage/* packages, one version each (release ${release})`,
);
