/*
 * The base images of a Dockerfile, and the Dockerfile with them pinned by digest. Pure: the
 * action reads the file, resolves the digests through the registries and writes the result.
 */
import { parseImageReference } from './imageReference';

/** Why an image of a Dockerfile is pinned, or why not. */
export type BaseImageStatus =
  /** A tag to resolve and pin. */
  | 'pin'
  /** Already `image@sha256:…` (or `image:tag@sha256:…`): left as it is. */
  | 'pinned'
  /** Names a build argument (`${BASE}`, `golang:$GO`): unknown until build time, left as it is. */
  | 'variable'
  /** An earlier stage of the same Dockerfile (`FROM build`): not an image. */
  | 'stage'
  /** `FROM scratch`: the empty image. */
  | 'scratch';

/** An image a Dockerfile names: the `# syntax=` directive's frontend or a `FROM` image. */
export type BaseImage = {
  kind: 'syntax' | 'from';
  /** The image as written. */
  image: string;
  /** 1-based line number. */
  line: number;
  /** Where `image` is in its line (0-based, end exclusive). */
  start: number;
  end: number;
  status: BaseImageStatus;
};

const DIRECTIVE = /^(\s*#\s*)([A-Za-z]+)(\s*=\s*)(\S*)\s*$/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][\w.-]*)\2/g;

function classify(image: string, stages: Set<string>, line: number) {
  if (image.includes('$')) return 'variable';
  const lower = image.toLowerCase();
  if (lower === 'scratch') return 'scratch';
  if (stages.has(lower)) return 'stage';
  try {
    return parseImageReference(image).digest ? 'pinned' : 'pin';
  } catch (error) {
    throw new Error(`line ${line}: ${(error as Error).message}`);
  }
}

/**
 * The images of a Dockerfile, in order: the `# syntax=` parser directive (only at the top of
 * the file, before any comment, blank line or instruction, as BuildKit reads it) and the
 * image of every `FROM` instruction (flags such as `--platform=…` skipped, `AS name`
 * recorded so that a later `FROM name` is a stage). Instructions are case-insensitive and
 * may continue over lines (the `# escape=` directive's character, `\` by default); the
 * bodies of here-documents (`RUN <<EOF … EOF`) are not instructions. Throws an Error naming
 * the line when an image is not a valid reference.
 */
export function findBaseImages(dockerfile: string): BaseImage[] {
  const lines = dockerfile.split('\n').map(l => l.replace(/\r$/, ''));
  const images: BaseImage[] = [];
  let escape = '\\';
  let i = 0;

  // Parser directives.
  for (; i < lines.length; i++) {
    const match = DIRECTIVE.exec(lines[i]);
    const key = match?.[2].toLowerCase();
    if (!match || !KNOWN_DIRECTIVES.has(key!)) break;
    if (key === 'escape' && (match[4] === '`' || match[4] === '\\')) {
      escape = match[4];
    }
    if (key === 'syntax' && match[4]) {
      const start = match[1].length + match[2].length + match[3].length;
      images.push({
        kind: 'syntax',
        image: match[4],
        line: i + 1,
        start,
        end: start + match[4].length,
        status: classify(match[4], new Set(), i + 1),
      });
    }
  }

  const stages = new Set<string>();
  const heredocs: { word: string; stripTabs: boolean }[] = [];
  const continues = (text: string) => text.trimEnd().endsWith(escape);

  while (i < lines.length) {
    const text = lines[i];
    if (heredocs.length > 0) {
      const { word, stripTabs } = heredocs[0];
      if ((stripTabs ? text.replace(/^\t+/, '') : text) === word) {
        heredocs.shift();
      }
      i++;
      continue;
    }
    if (/^\s*(#.*)?$/.test(text)) {
      i++;
      continue;
    }
    // One instruction: its first line and the lines it continues over (comment lines
    // inside a continuation are skipped, as the parser does).
    const segments: { line: number; text: string }[] = [{ line: i, text }];
    let last = text;
    i++;
    while (continues(last) && i < lines.length) {
      if (!/^\s*#/.test(lines[i])) {
        segments.push({ line: i, text: lines[i] });
        last = lines[i];
      }
      i++;
    }
    const tokens = segments.flatMap(segment =>
      [...segment.text.matchAll(/\S+/g)]
        .filter(m => m[0] !== escape)
        .map(m => ({
          value: m[0],
          line: segment.line,
          start: m.index!,
        })),
    );
    const keyword = tokens[0].value.toUpperCase();
    if (keyword === 'FROM') {
      let k = 1;
      while (k < tokens.length && tokens[k].value.startsWith('--')) k++;
      const token = tokens[k];
      if (!token) {
        throw new Error(`line ${segments[0].line + 1}: FROM names no image`);
      }
      images.push({
        kind: 'from',
        image: token.value,
        line: token.line + 1,
        start: token.start,
        end: token.start + token.value.length,
        status: classify(token.value, stages, token.line + 1),
      });
      if (tokens[k + 1]?.value.toLowerCase() === 'as' && tokens[k + 2]) {
        stages.add(tokens[k + 2].value.toLowerCase());
      }
    } else if (['RUN', 'COPY', 'ADD'].includes(keyword)) {
      for (const segment of segments) {
        for (const m of segment.text.matchAll(HEREDOC)) {
          heredocs.push({ word: m[3], stripTabs: m[1] === '-' });
        }
      }
    }
  }
  return images;
}

/**
 * The Dockerfile with every image of status `pin` written as `<image>@<digest>` (the digest
 * looked up by the image as written); everything else, line endings included, unchanged.
 * Throws when a digest is missing, so that nothing is written half-pinned.
 */
export function pinDockerfile(
  dockerfile: string,
  images: BaseImage[],
  digests: ReadonlyMap<string, string>,
): string {
  const lines = dockerfile.split('\n');
  const toPin = images
    .filter(image => image.status === 'pin')
    // Right to left within a line, so that earlier offsets stay valid.
    .sort((a, b) => a.line - b.line || b.start - a.start);
  for (const image of toPin) {
    const digest = digests.get(image.image);
    if (!digest) throw new Error(`no digest for ${image.image}`);
    const text = lines[image.line - 1];
    lines[image.line - 1] = `${text.slice(0, image.end)}@${digest}${text.slice(
      image.end,
    )}`;
  }
  return lines.join('\n');
}
