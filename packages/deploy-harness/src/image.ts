/*
 * deploy/Dockerfile as data: its stages and their steps (parsed with dockerfile-ast), the
 * production image's own rules on top of the template harness's Dockerfile checks, and the
 * final stage's command. Pure: runStage.ts executes the steps.
 */
import { parseImageRef } from '@runway/template-harness';
import { DockerfileParser, Env, Instruction } from 'dockerfile-ast';

export type Step =
  | { kind: 'WORKDIR'; line: number; path: string }
  | {
      kind: 'COPY';
      line: number;
      /** The stage copied from; undefined for the build context. */
      from?: string;
      sources: string[];
      dest: string;
    }
  | { kind: 'RUN'; line: number; command: string }
  | { kind: 'ENV'; line: number; vars: Record<string, string> }
  | { kind: 'USER'; line: number; user: string }
  | { kind: 'ENTRYPOINT' | 'CMD'; line: number; argv?: string[] }
  | { kind: 'OTHER'; line: number; keyword: string };

export type Stage = {
  /** `AS <name>`, lower-case. */
  name?: string;
  line: number;
  image: string;
  repository: string;
  tag?: string;
  digest?: string;
  steps: Step[];
};

/** Exec-form arguments (a JSON array of strings), else undefined. */
function execForm(content: string | null): string[] | undefined {
  try {
    const value = JSON.parse(content ?? '');
    return Array.isArray(value) && value.every(v => typeof v === 'string')
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

function flagValue(instruction: Instruction, name: string): string | undefined {
  const flags = (instruction as any).getFlags?.() ?? [];
  const flag = flags.find((f: any) => f.getName() === name);
  return flag?.getValue() ?? undefined;
}

function toStep(instruction: Instruction): Step {
  const line = instruction.getRange().start.line + 1;
  const keyword = instruction.getKeyword();
  const args = instruction.getArguments().map(a => a.getValue());
  switch (keyword) {
    case 'WORKDIR':
      return { kind: 'WORKDIR', line, path: args[0] ?? '' };
    case 'COPY': {
      const from = flagValue(instruction, 'from');
      return {
        kind: 'COPY',
        line,
        ...(from !== undefined && { from: from.toLowerCase() }),
        sources: args.slice(0, -1),
        dest: args[args.length - 1] ?? '',
      };
    }
    case 'RUN':
      return {
        kind: 'RUN',
        line,
        command: instruction.getArgumentsContent() ?? '',
      };
    case 'ENV':
      return {
        kind: 'ENV',
        line,
        vars: Object.fromEntries(
          (instruction as Env)
            .getProperties()
            .map(p => [p.getName(), p.getValue() ?? '']),
        ),
      };
    case 'USER':
      return { kind: 'USER', line, user: args[0] ?? '' };
    case 'ENTRYPOINT':
    case 'CMD':
      return {
        kind: keyword,
        line,
        argv: execForm(instruction.getArgumentsContent()),
      };
    default:
      return { kind: 'OTHER', line, keyword };
  }
}

/** An image's repository, tag and digest (the template harness's parser). */
function imageReference(image: string) {
  const { name, tag, digest } = parseImageRef(image);
  return {
    repository: name,
    ...(tag !== undefined && { tag }),
    ...(digest && { digest }),
  };
}

/** The stages of a Dockerfile, in order, each with its steps. */
export function parseDockerfile(text: string): Stage[] {
  const dockerfile = DockerfileParser.parse(text);
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const args = instruction.getArguments().map(a => a.getValue());
      const image = args[0] ?? '';
      const as = args[1]?.toUpperCase() === 'AS' ? args[2] : undefined;
      stages.push({
        line: instruction.getRange().start.line + 1,
        image,
        ...imageReference(image),
        ...(as && { name: as.toLowerCase() }),
        steps: [],
      });
    } else if (stages.length > 0) {
      stages[stages.length - 1].steps.push(toStep(instruction));
    }
  }
  return stages;
}

/** A sha256 image digest. */
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** The final image: distroless Node.js 22 on Debian 13. */
const FINAL_REPOSITORY = 'gcr.io/distroless/nodejs22-debian13';
/** Toolchains and the TechDocs generator, which no stage the final image copies from installs. */
const BUILD_TOOLS =
  /(?<![\w.-])(g\+\+|gcc|clang|make|build-essential|python3?|node-gyp|mkdocs|pip3?|pipx)(?![\w+.-])/;
const INSTALLS = /\b(apt-get|apt|apk|yum|dnf|pip3?|npm)\s+(-\S+\s+)*install\b/;

/**
 * The production image's rules, beyond the template harness's (multi-stage, distroless
 * nonroot final stage, non-root USER, exec form):
 * - every FROM is pinned by digest (the same bytes on every build);
 * - the final stage is Node.js 22 and runs nothing itself (no RUN: distroless has no shell);
 * - the final stage copies only from earlier stages that install no compiler, Python or
 *   mkdocs (those may only exist in stages whose files the final image never takes);
 * - no stage installs mkdocs (TechDocs are built outside the portal);
 * - the final stage sets NODE_ENV=production and starts the backend with both configs.
 */
export function checkProductionImage(
  stages: Stage[],
  label = 'Dockerfile',
): string[] {
  const problems: string[] = [];
  const at = (line: number) => `${label}:${line}`;
  if (stages.length === 0) return [`${label}: no FROM instruction`];
  for (const stage of stages) {
    if (!stage.digest || !DIGEST.test(stage.digest)) {
      problems.push(
        `${at(stage.line)}: FROM ${
          stage.image
        } is not pinned by digest (<image>:<tag>@sha256:<64 hex>)`,
      );
    }
    for (const step of stage.steps) {
      if (step.kind === 'RUN' && /\bmkdocs\b/.test(step.command)) {
        problems.push(
          `${at(
            step.line,
          )}: installs or runs mkdocs: TechDocs are built in CI and published to S3, never in the image`,
        );
      }
    }
  }
  const final = stages[stages.length - 1];
  if (final.repository !== FINAL_REPOSITORY) {
    problems.push(
      `${at(final.line)}: the final stage is ${
        final.repository
      }; it must be ${FINAL_REPOSITORY} (Node.js 22)`,
    );
  }
  for (const step of final.steps) {
    if (step.kind === 'RUN') {
      problems.push(
        `${at(
          step.line,
        )}: the final stage runs a command; do the work in an earlier stage and copy the result`,
      );
    }
  }
  const byName = new Map(
    stages.filter(s => s.name).map(s => [s.name!, s] as const),
  );
  const copiedFrom = new Set(
    final.steps.flatMap(step =>
      step.kind === 'COPY' && step.from ? [step.from] : [],
    ),
  );
  for (const name of copiedFrom) {
    const source = byName.get(name);
    if (!source) continue;
    for (const step of source.steps) {
      if (
        step.kind === 'RUN' &&
        INSTALLS.test(step.command) &&
        BUILD_TOOLS.test(step.command)
      ) {
        problems.push(
          `${at(
            step.line,
          )}: stage ${name}, which the final image copies from, installs build tools (${
            step.command.match(BUILD_TOOLS)![0]
          })`,
        );
      }
    }
  }
  const env = Object.assign(
    {},
    ...final.steps.flatMap(s => (s.kind === 'ENV' ? [s.vars] : [])),
  ) as Record<string, string>;
  if (env.NODE_ENV !== 'production') {
    problems.push(
      `${at(final.line)}: the final stage must set NODE_ENV=production`,
    );
  }
  const command = finalCommand(stages);
  const configs = command.argv
    .flatMap((arg, i) => (arg === '--config' ? [command.argv[i + 1]] : []))
    .filter(Boolean);
  if (
    !command.argv.includes('packages/backend') ||
    configs.join(' ') !== 'app-config.yaml app-config.production.yaml'
  ) {
    problems.push(
      `${at(
        final.line,
      )}: the final stage must start packages/backend with --config app-config.yaml --config app-config.production.yaml, got ${JSON.stringify(
        command.argv,
      )}`,
    );
  }
  return problems;
}

/** What the final image runs: its working directory, environment and command line. */
export function finalCommand(stages: Stage[]): {
  workdir: string;
  env: Record<string, string>;
  user?: string;
  argv: string[];
} {
  const final = stages[stages.length - 1];
  let workdir = '/';
  let user: string | undefined;
  let entrypoint: string[] = [];
  let cmd: string[] = [];
  const env: Record<string, string> = {};
  for (const step of final?.steps ?? []) {
    if (step.kind === 'WORKDIR') workdir = step.path;
    if (step.kind === 'ENV') Object.assign(env, step.vars);
    if (step.kind === 'USER') user = step.user;
    if (step.kind === 'ENTRYPOINT') entrypoint = step.argv ?? [];
    if (step.kind === 'CMD') cmd = step.argv ?? [];
  }
  return { workdir, env, ...(user && { user }), argv: [...entrypoint, ...cmd] };
}
