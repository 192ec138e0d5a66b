import {
  DockerfileParser,
  From,
  Instruction,
  JSONInstruction,
} from 'dockerfile-ast';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** The final image: a Debian 13 distroless image with the nonroot tag (not the unsuffixed name). */
const DISTROLESS_DEBIAN13 = /^gcr\.io\/distroless\/[a-z0-9._-]+-debian13$/;

export type ImageRef = { name: string; tag?: string; digest?: string };

/** Splits `registry/name:tag@digest`; a colon before the last slash is a registry port. */
export function parseImageRef(ref: string): ImageRef {
  const [nameAndTag, digest] = ref.split('@', 2);
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.lastIndexOf(':');
  return colon > slash
    ? {
        name: nameAndTag.slice(0, colon),
        tag: nameAndTag.slice(colon + 1),
        digest,
      }
    : { name: nameAndTag, digest };
}

/** The image a FROM names, with ARG defaults substituted (the --platform flag is not an argument). */
function imageOf(from: From): string {
  return from.getExpandedArguments()[0]?.getValue() ?? '';
}

/** Docker's rule: the arguments are exec form when they parse as a JSON array of strings. */
function isExecForm(instruction: JSONInstruction): boolean {
  try {
    const value = JSON.parse(instruction.getArgumentsContent() ?? '');
    return (
      Array.isArray(value) &&
      value.length > 0 &&
      value.every(v => typeof v === 'string')
    );
  } catch {
    return false;
  }
}

/**
 * Checks a Dockerfile with a real parser (dockerfile-ast). Returns the problems, one
 * line each; empty when the Dockerfile passes.
 */
export function checkDockerfile(path: string): string[] {
  return checkDockerfileText(readFileSync(path, 'utf8'), basename(path));
}

/**
 * The rules on a Dockerfile's text:
 * - multi-stage: at least two FROM;
 * - every builder stage's base image pins a version (a tag with a digit, or a digest;
 *   never `latest` or untagged); earlier stages and `scratch` are exempt;
 * - the final stage is `gcr.io/distroless/<image>-debian13:nonroot` (digest allowed);
 * - the final stage sets a non-root USER (not root or 0);
 * - the final stage's ENTRYPOINT or CMD is in exec form (a JSON array): the process is
 *   PID 1 and receives SIGTERM, and distroless has no shell to run the shell form.
 */
export function checkDockerfileText(
  text: string,
  label = 'Dockerfile',
): string[] {
  const dockerfile = DockerfileParser.parse(text);
  const at = (instruction: Instruction) =>
    `${label}:${instruction.getRange().start.line + 1}`;
  const froms = dockerfile.getFROMs();
  if (froms.length === 0) return [`${label}: no FROM instruction`];

  const problems: string[] = [];
  if (froms.length < 2) {
    problems.push(
      `${label}: not multi-stage (one FROM): build in a builder stage and copy only the result into the final image`,
    );
  }

  const stages = new Set<string>();
  froms.forEach((from, i) => {
    const image = imageOf(from);
    const final = i === froms.length - 1;
    if (image.includes('$')) {
      problems.push(
        `${at(
          from,
        )}: FROM ${image}: a variable without a default (ARG before the first FROM)`,
      );
    } else if (final) {
      const ref = parseImageRef(image);
      if (!DISTROLESS_DEBIAN13.test(ref.name) || ref.tag !== 'nonroot') {
        problems.push(
          `${at(
            from,
          )}: the final stage is ${image}; it must be gcr.io/distroless/<image>-debian13:nonroot (not the unsuffixed image or another tag)`,
        );
      }
    } else if (image !== 'scratch' && !stages.has(image.toLowerCase())) {
      const ref = parseImageRef(image);
      if (
        !ref.digest &&
        (!ref.tag || ref.tag === 'latest' || !/\d/.test(ref.tag))
      ) {
        problems.push(
          `${at(
            from,
          )}: the builder image ${image} does not pin a version (use e.g. golang:1.26-trixie, or a digest)`,
        );
      }
    }
    const stage = from.getBuildStage();
    if (stage) stages.add(stage.toLowerCase());
  });

  const finalFrom = froms[froms.length - 1];
  const finalLine = finalFrom.getRange().start.line;
  const finalStage = dockerfile
    .getInstructions()
    .filter(instruction => instruction.getRange().start.line > finalLine);
  const last = (keyword: string) =>
    finalStage
      .filter(instruction => instruction.getKeyword() === keyword)
      .pop();

  const user = last('USER');
  if (!user) {
    problems.push(
      `${at(
        finalFrom,
      )}: the final stage sets no USER (set a non-root one, e.g. USER nonroot:nonroot)`,
    );
  } else {
    const value = user.getExpandedArguments()[0]?.getValue() ?? '';
    const name = value.split(':')[0];
    if (name === '' || name.includes('$')) {
      problems.push(`${at(user)}: USER ${value} cannot be resolved`);
    } else if (name === 'root' || /^0+$/.test(name)) {
      problems.push(`${at(user)}: USER ${value} runs as root`);
    }
  }

  const entrypoint = last('ENTRYPOINT') as JSONInstruction | undefined;
  const cmd = last('CMD') as JSONInstruction | undefined;
  if (!entrypoint && !cmd) {
    problems.push(
      `${at(
        finalFrom,
      )}: the final stage has no ENTRYPOINT or CMD (exec form, e.g. ENTRYPOINT ["/app"])`,
    );
  }
  for (const instruction of [entrypoint, cmd]) {
    if (instruction && !isExecForm(instruction)) {
      problems.push(
        `${at(
          instruction,
        )}: ${instruction.getKeyword()} is in shell form; use exec form (a JSON array) so the process gets SIGTERM and no shell is needed`,
      );
    }
  }
  return problems;
}
