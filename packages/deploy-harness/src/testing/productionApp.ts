/*
 * The production image without a container engine: the backend bundle `make build` built
 * (backstage-cli package build of the backend and the app), unpacked by deploy/Dockerfile's
 * `deps` stage into a temporary folder (production dependencies only), and started with the
 * final stage's command and environment.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  WriteStream,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { finalCommand, parseDockerfile, Stage } from '../image';
import { dockerfilePath, repoRoot } from '../paths';
import { runStage } from './runStage';

/** The bundle the Dockerfile's build stage produces (`yarn workspace backend build`). */
const BUNDLE_FILES = [
  'packages/backend/dist/bundle.tar.gz',
  'packages/backend/dist/skeleton.tar.gz',
];
/** The workspace packages in the bundle (from its skeleton): their sources must be older. */
function bundledPackageDirs(skeleton: string): string[] {
  return execFileSync('tar', ['tzf', skeleton], { encoding: 'utf8' })
    .split('\n')
    .filter(entry => /^(packages|plugins)\/[^/]+\/package\.json$/.test(entry))
    .map(entry => dirname(entry));
}

export type ProductionApp = {
  /** The folder standing for the image's WORKDIR. */
  dir: string;
  /** The image's environment (ENV). */
  env: Record<string, string>;
  /** The image's command, with this machine's Node 22 for the entrypoint's node. */
  argv: string[];
  stages: Stage[];
};

function newestSource(dir: string): number {
  let newest = 0;
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      // Tests and their helpers are not in the bundle: a change to them needs no build.
      if (/^(node_modules|dist|__testUtils__|__fixtures__)$/.test(entry.name)) {
        continue;
      }
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (
        /\.(ts|tsx|json)$/.test(entry.name) &&
        !/\.test\.tsx?$/.test(entry.name)
      ) {
        newest = Math.max(newest, statSync(child).mtimeMs);
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return newest;
}

/** Fails unless the bundle exists and is newer than the sources it is built from. */
export function assertBundleIsFresh(): void {
  for (const file of BUNDLE_FILES) {
    const path = join(repoRoot, file);
    if (!existsSync(path)) {
      throw new Error(
        `${file} is missing: run make build (or make production)`,
      );
    }
    const built = statSync(path).mtimeMs;
    const skeleton = join(repoRoot, 'packages/backend/dist/skeleton.tar.gz');
    for (const dir of bundledPackageDirs(skeleton)) {
      if (newestSource(join(repoRoot, dir, 'src')) > built) {
        throw new Error(
          `${file} is older than ${dir}: run make build (or make production)`,
        );
      }
    }
  }
}

/**
 * Runs the Dockerfile's `deps` stage into `<dir>/app` with the repository standing for the
 * build stage (its WORKDIR), and returns what the final stage runs.
 */
export function prepareProductionApp(
  dir: string,
  onStep?: (step: string) => void,
): ProductionApp {
  assertBundleIsFresh();
  const stages = parseDockerfile(readFileSync(dockerfilePath, 'utf8'));
  const byName = (name: string) => {
    const stage = stages.find(s => s.name === name);
    if (!stage) throw new Error(`deploy/Dockerfile has no stage ${name}`);
    return stage;
  };
  const build = byName('build');
  const buildWorkdir = build.steps.find(s => s.kind === 'WORKDIR');
  if (buildWorkdir?.kind !== 'WORKDIR') {
    throw new Error('the build stage has no WORKDIR');
  }
  const appDir = join(dir, 'app');
  mkdirSync(appDir, { recursive: true });
  const nodeDir = dirname(process.execPath);
  const deps = runStage(byName('deps'), {
    contextDir: repoRoot,
    dir: appDir,
    stages: { build: { workdir: buildWorkdir.path, dir: repoRoot } },
    env: {
      ...process.env,
      PATH: `${nodeDir}:${process.env.PATH}`,
      // Yarn's own output; the install must not read the repository's settings.
      CI: 'true',
    },
    onStep,
  });

  const final = stages[stages.length - 1];
  const command = finalCommand(stages);
  const copies = final.steps.filter(s => s.kind === 'COPY');
  if (
    copies.length !== 1 ||
    copies[0].kind !== 'COPY' ||
    copies[0].from !== 'deps' ||
    copies[0].sources.join() !== deps.workdir ||
    copies[0].dest !== command.workdir
  ) {
    throw new Error(
      `the final stage must copy the deps stage's ${deps.workdir} to its WORKDIR and nothing else`,
    );
  }
  const [entrypoint, ...args] = command.argv;
  if (!entrypoint || !/\/node$/.test(entrypoint)) {
    throw new Error(
      `the image's entrypoint is ${entrypoint}, expected the node binary`,
    );
  }
  return {
    dir: appDir,
    env: command.env,
    argv: [process.execPath, ...args],
    stages,
  };
}

/** Files under the app folder, relative, whose path matches. */
export function findFiles(appDir: string, pattern: RegExp): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (pattern.test(relative(appDir, child)))
        found.push(relative(appDir, child));
      if (entry.isDirectory()) walk(child);
    }
  };
  walk(appDir);
  return found;
}

export type InstanceOptions = {
  name: string;
  app: ProductionApp;
  /** Extra --config files (the suite's test-only overrides). */
  configFiles: string[];
  env: Record<string, string>;
  /** Node's --require preloads. */
  preload: string[];
  logFile: string;
};

/** One replica: the image's command in the app folder. */
export class Instance {
  readonly name: string;
  readonly #options: InstanceOptions;
  #child?: ChildProcess;
  #log?: WriteStream;
  #output = '';
  #exited?: Promise<number | null>;
  #signal: NodeJS.Signals | null = null;

  constructor(options: InstanceOptions) {
    this.name = options.name;
    this.#options = options;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return !!this.#child && this.#child.exitCode === null && !this.#signal;
  }

  /** What it has printed (its log), the last 4 MB. */
  output(): string {
    return this.#output;
  }

  start(): void {
    const { app, configFiles, env, preload, logFile } = this.#options;
    mkdirSync(dirname(logFile), { recursive: true });
    this.#log = createWriteStream(logFile, { flags: 'a' });
    this.#output = '';
    this.#signal = null;
    const [node, ...args] = app.argv;
    const child = spawn(
      node,
      [...args, ...configFiles.flatMap(file => ['--config', file])],
      {
        cwd: app.dir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          ...app.env,
          ...env,
          NODE_OPTIONS: preload.map(p => `--require ${p}`).join(' '),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const collect = (chunk: Buffer) => {
      this.#log?.write(chunk);
      this.#output = (this.#output + chunk.toString()).slice(-4 * 1024 * 1024);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    this.#exited = new Promise(resolve =>
      child.once('exit', (code, signal) => {
        this.#log?.end();
        resolve(code ?? (signal ? -1 : null));
      }),
    );
    this.#child = child;
  }

  /** Sends a signal (SIGTERM: graceful stop; SIGKILL: kill -9). */
  signal(signal: NodeJS.Signals): void {
    this.#signal = signal;
    this.#child?.kill(signal);
  }

  /** Waits for the process to exit; undefined when it is still running after timeoutMs. */
  async waitForExit(timeoutMs: number): Promise<number | null | undefined> {
    if (!this.#exited) return null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>(resolve => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const result = await Promise.race([this.#exited, timeout]);
    clearTimeout(timer);
    return result;
  }

  /** Stops it for good (SIGTERM, then SIGKILL after 30 s). */
  async stop(): Promise<void> {
    if (!this.#child || this.#child.exitCode !== null) return;
    this.signal('SIGTERM');
    if ((await this.waitForExit(30_000)) === undefined) {
      this.signal('SIGKILL');
      await this.waitForExit(10_000);
    }
  }

  get exitCode(): number | null | undefined {
    return this.#child?.exitCode;
  }
}
