/*
 * Runs one stage of deploy/Dockerfile without a container engine: its WORKDIR becomes a
 * local folder, COPY takes files from the build context (the repository) or from an
 * earlier stage's folder, RUN runs in bash there. Only what the portal's Dockerfile uses is
 * supported; anything else is an error, never skipped.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import {
  basename,
  isAbsolute,
  join,
  posix,
  relative,
  resolve,
} from 'node:path';
import { Stage } from '../image';

/** Where an earlier stage's WORKDIR is on this machine. */
export type StageMount = { workdir: string; dir: string };

export type RunStageOptions = {
  /** The build context (`docker build … <context>`). */
  contextDir: string;
  /** The folder standing for this stage's WORKDIR. */
  dir: string;
  /** Earlier stages by name. */
  stages: Record<string, StageMount>;
  /** The environment RUN steps see. */
  env: NodeJS.ProcessEnv;
  /** Called before each step, for progress output. */
  onStep?: (description: string) => void;
};

/** Runs the stage's steps; returns its WORKDIR and folder for later stages. */
export function runStage(stage: Stage, options: RunStageOptions): StageMount {
  const { dir } = options;
  let workdir: string | undefined;
  const where = (line: number) => `Dockerfile:${line}`;
  const local = (path: string, line: number) => {
    if (!workdir) {
      throw new Error(`${where(line)}: a step before the stage's WORKDIR`);
    }
    const absolute = posix.resolve(workdir, path);
    const inside = posix.relative(workdir, absolute);
    if (inside.startsWith('..')) {
      throw new Error(
        `${where(line)}: ${path} is outside the WORKDIR ${workdir}`,
      );
    }
    return join(dir, inside);
  };
  mkdirSync(dir, { recursive: true });

  for (const step of stage.steps) {
    switch (step.kind) {
      case 'WORKDIR':
        if (workdir) {
          throw new Error(`${where(step.line)}: only one WORKDIR per stage`);
        }
        workdir = step.path;
        break;
      case 'COPY': {
        const source = step.from ? options.stages[step.from] : undefined;
        if (step.from && !source) {
          throw new Error(`${where(step.line)}: unknown stage ${step.from}`);
        }
        const dest = local(step.dest, step.line);
        const intoFolder = step.dest.endsWith('/') || step.sources.length > 1;
        for (const path of step.sources) {
          let from: string;
          if (source) {
            const inside = posix.relative(source.workdir, path);
            if (!isAbsolute(path) || inside.startsWith('..')) {
              throw new Error(
                `${where(step.line)}: ${path} is not inside stage ${
                  step.from
                }'s WORKDIR ${source.workdir}`,
              );
            }
            from = join(source.dir, inside);
          } else {
            from = resolve(options.contextDir, path);
          }
          if (!existsSync(from)) {
            throw new Error(
              `${where(step.line)}: COPY ${path}: ${relative(
                options.contextDir,
                from,
              )} does not exist (did the build stage run? make build)`,
            );
          }
          options.onStep?.(
            `COPY ${step.from ? `--from=${step.from} ` : ''}${path} ${
              step.dest
            }`,
          );
          // Docker copies a folder's contents, and a file into a folder destination.
          const target =
            statSync(from).isDirectory() || !intoFolder
              ? dest
              : join(dest, basename(from));
          if (resolve(from) !== resolve(target)) {
            cpSync(from, target, { recursive: true });
          }
        }
        break;
      }
      case 'RUN':
        options.onStep?.(`RUN ${step.command}`);
        execFileSync('bash', ['-euo', 'pipefail', '-c', step.command], {
          cwd: local('.', step.line),
          env: options.env,
          stdio: ['ignore', 'pipe', 'pipe'],
          maxBuffer: 64 * 1024 * 1024,
        });
        break;
      case 'ENV':
      case 'USER':
      case 'ENTRYPOINT':
      case 'CMD':
        break;
      case 'OTHER':
        if (!['EXPOSE', 'LABEL', 'ARG'].includes(step.keyword)) {
          throw new Error(
            `${where(step.line)}: ${step.keyword} is not supported by runStage`,
          );
        }
        break;
      default:
        throw new Error(`unexpected step ${JSON.stringify(step)}`);
    }
  }
  if (!workdir)
    throw new Error(`stage ${stage.name ?? stage.image} has no WORKDIR`);
  return { workdir, dir };
}
