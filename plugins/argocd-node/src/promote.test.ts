import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import {
  ArgoObject,
  FakeArgoCd,
  FakeGitHub,
} from '@runway/plugin-argocd-node-test-utils';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { ArgoCdClient } from './ArgoCdClient';
import { GitOpsConfig } from './config';
import { createOctokit, GitOpsWriter, manifestToYaml } from './gitops';
import {
  checkPromotion,
  promoteApplication,
  resolvePromotionInput,
} from './promote';
import { buildApplications } from './__testUtils__/build';

const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);
const OTHER = 'c'.repeat(40);
const REPO = 'https://github.com/example-org/orders-api.git';
const VERIFIED = {
  context: 'runway/staging-verification',
  state: 'success' as const,
  description: 'smoke test passed',
};

const [stagingApp, productionApp] = buildApplications({
  appName: 'orders-api',
  repoUrl: REPO,
  targetRevision: 'main',
  environments: [
    { name: 'staging', cluster: 'staging' },
    { name: 'production', cluster: 'production', targetRevision: OLD },
  ],
});

/** The staging Application as Argo CD reports it: synced at `revision`, with a Rollout. */
function staging(
  revision = NEW,
  overrides: {
    sync?: string;
    health?: string;
    rollout?: string;
    rolloutMessage?: string;
  } = {},
): ArgoObject {
  return {
    ...structuredClone(stagingApp),
    status: {
      sync: { status: overrides.sync ?? 'Synced', revision },
      health: { status: overrides.health ?? 'Healthy' },
      resources: [
        {
          group: 'argoproj.io',
          kind: 'Rollout',
          name: 'orders-api',
          health: {
            status: overrides.rollout ?? 'Healthy',
            ...(overrides.rolloutMessage && {
              message: overrides.rolloutMessage,
            }),
          },
        },
        { group: '', kind: 'Service', name: 'orders-api' },
      ],
    },
  };
}

/** Every gate, in order, passed: what a promotable commit's verdict is. */
const EVERY_GATE_PASSED = [
  ['source-synced', true],
  ['source-healthy', true],
  ['rollout-promoted', true],
  ['ci-succeeded', true],
  ['verification-passed', true],
  ['not-older', true],
];

const gitopsConfig: GitOpsConfig = {
  repository: { host: 'github.com', owner: 'example-org', repo: 'gitops' },
  baseBranch: 'main',
  pathPattern: 'apps/{environment}/{appName}.yaml',
  projectPathPattern: 'projects/{project}.yaml',
  applicationNamespace: 'argocd',
};

describe('promoteApplication', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let argo: FakeArgoCd;
  let service: FakeGitHub;
  const client = new ArgoCdClient({
    instance: {
      name: 'main',
      url: 'https://argocd.example.com',
      timeoutMs: 2000,
      maxAttempts: 3,
      hasToken: true,
    },
    token: 'argo-token',
    sleep: async () => {},
  });
  const octokitFor = jest.fn(async () => createOctokit({ token: 'gh-token' }));

  beforeEach(() => {
    argo = new FakeArgoCd({
      url: 'https://argocd.example.com',
      token: 'argo-token',
    });
    service = new FakeGitHub({
      owner: 'example-org',
      repo: 'orders-api',
      token: 'gh-token',
    });
    service.commit(OLD);
    service.commit(NEW);
    service.checkRuns.set(NEW, [
      { name: 'Test', status: 'completed', conclusion: 'success' },
      { name: 'Build image', status: 'completed', conclusion: 'skipped' },
      { name: 'Verify staging', status: 'completed', conclusion: 'success' },
    ]);
    service.statuses.set(NEW, [VERIFIED]);
    argo.seed(staging(), productionApp as ArgoObject);
    server.use(...argo.handlers(), ...service.handlers());
    octokitFor.mockClear();
  });

  const promote = (commit = NEW, gitops?: GitOpsWriter) =>
    promoteApplication({
      client,
      input: resolvePromotionInput({ appName: 'orders-api', commit }),
      octokitFor,
      retry: { sleep: async () => {} },
      ...(gitops && { gitops: { config: gitopsConfig, writer: gitops } }),
    });
  const production = () =>
    argo.applications.get('orders-api-production')!.spec.source.targetRevision;

  describe('checkPromotion', () => {
    const check = (commit = NEW) =>
      checkPromotion({
        client,
        input: resolvePromotionInput({ appName: 'orders-api', commit }),
        octokitFor,
        retry: { sleep: async () => {} },
      });

    it('says ready with every gate passed, and writes nothing', async () => {
      const result = await check();
      expect(result).toMatchObject({
        application: 'orders-api-production',
        status: 'ready',
        commit: NEW,
        previousRevision: OLD,
      });
      expect(result.gates.map(g => [g.gate, g.passed])).toEqual(
        EVERY_GATE_PASSED,
      );
      expect(argo.writes).toEqual([]);
    });

    it('says blocked naming the failing gate (the same verdict promote throws), and writes nothing', async () => {
      service.statuses.delete(NEW);
      const result = await check();
      expect(result.status).toBe('blocked');
      expect(result.gates.filter(g => !g.passed)).toEqual([
        {
          gate: 'verification-passed',
          passed: false,
          message:
            "commit bbbbbbbbbbbb has no 'runway/staging-verification' status: the staging verification has not run for it",
        },
      ]);
      await expect(promote()).rejects.toThrow(
        result.gates.find(g => !g.passed)!.message,
      );
      expect(argo.writes).toEqual([]);
    });

    it('uses the source Application the caller read instead of reading it again', async () => {
      const source = (await client.getApplication('orders-api-staging'))!;
      const reads = () =>
        argo.requests.filter(
          r => r.path === '/api/v1/applications/orders-api-staging',
        ).length;
      const before = reads();
      const result = await checkPromotion({
        client,
        input: resolvePromotionInput({ appName: 'orders-api', commit: NEW }),
        source,
        octokitFor,
        retry: { sleep: async () => {} },
      });
      expect(reads()).toBe(before);
      expect(result.status).toBe('ready');
      // A Rollout still paused in what the caller read blocks, whatever Argo CD says now.
      const paused = structuredClone(source);
      (paused.status as any).health.status = 'Suspended';
      const blocked = await checkPromotion({
        client,
        input: resolvePromotionInput({ appName: 'orders-api', commit: NEW }),
        source: paused,
        octokitFor,
        retry: { sleep: async () => {} },
      });
      expect(blocked.gates.find(g => !g.passed)?.gate).toBe('source-healthy');
    });

    it('refuses a source that is not the source Application, before any call', async () => {
      const other = structuredClone(productionApp) as any;
      const count = argo.requests.length;
      await expect(
        checkPromotion({
          client,
          input: resolvePromotionInput({ appName: 'orders-api', commit: NEW }),
          source: other,
          octokitFor,
        }),
      ).rejects.toThrow(
        "source must be the Application 'orders-api-staging' of project 'default', not 'orders-api-production' of project 'default'",
      );
      expect(argo.requests.length).toBe(count);
    });

    it('says unchanged when production already runs the commit', async () => {
      expect(await check(OLD)).toEqual({
        application: 'orders-api-production',
        status: 'unchanged',
        commit: OLD,
        previousRevision: OLD,
        gates: [],
      });
    });
  });

  describe('api mode', () => {
    it('pins production to the verified commit, changing only targetRevision', async () => {
      const before = structuredClone(
        argo.applications.get('orders-api-production')!,
      );
      const result = await promote();
      expect(result).toMatchObject({
        application: 'orders-api-production',
        status: 'promoted',
        commit: NEW,
        previousRevision: OLD,
      });
      expect(result.gates.map(g => [g.gate, g.passed])).toEqual(
        EVERY_GATE_PASSED,
      );
      expect(result.gates[4].message).toBe(
        'the staging verification passed on bbbbbbbbbbbb (smoke test passed)',
      );
      expect(argo.writes.map(r => `${r.method} ${r.path}`)).toEqual([
        'PUT /api/v1/applications/orders-api-production',
      ]);
      const after = argo.applications.get('orders-api-production')!;
      expect(after.spec).toEqual({
        ...before.spec,
        source: { ...before.spec.source, targetRevision: NEW },
      });
      expect(after.metadata.labels).toEqual(before.metadata.labels);
      expect(octokitFor).toHaveBeenCalledWith({
        host: 'github.com',
        owner: 'example-org',
        repo: 'orders-api',
      });
      expect(
        service.requests.map(r => r.path.replace(/\?.*/, '')).sort(),
      ).toEqual([
        `/repos/example-org/orders-api/commits/${NEW}/check-runs`,
        `/repos/example-org/orders-api/commits/${NEW}/status`,
        `/repos/example-org/orders-api/compare/${OLD}...${NEW}`,
      ]);
    });

    it('changes nothing on a re-run, without evaluating the gates again', async () => {
      await promote();
      const writes = argo.writes.length;
      service.statuses.set(NEW, []); // a gate would now fail
      await expect(promote()).resolves.toMatchObject({
        status: 'unchanged',
        gates: [],
        previousRevision: NEW,
      });
      expect(argo.writes).toHaveLength(writes);
    });

    it('retries Argo CD and GitHub on 5xx', async () => {
      argo.failures.push(503);
      service.failures.push(502, 500);
      await expect(promote()).resolves.toMatchObject({ status: 'promoted' });
      expect(production()).toBe(NEW);
    });

    const gateCases: Array<{
      gate: string;
      arrange: () => void;
      message: string;
    }> = [
      {
        gate: 'staging runs another commit',
        arrange: () => argo.seed(staging(OTHER)),
        message:
          'source-synced: staging (orders-api-staging) runs cccccccccccc, not bbbbbbbbbbbb: promote the commit staging runs, or wait until staging has synced this one',
      },
      {
        gate: 'staging out of sync',
        arrange: () => argo.seed(staging(NEW, { sync: 'OutOfSync' })),
        message:
          'source-synced: staging (orders-api-staging) is OutOfSync at bbbbbbbbbbbb, not Synced',
      },
      {
        gate: 'staging degraded',
        arrange: () =>
          argo.seed(staging(NEW, { health: 'Degraded', rollout: 'Degraded' })),
        message:
          'source-healthy: staging (orders-api-staging) is Degraded, not Healthy; rollout-promoted: Rollout orders-api is aborted or degraded',
      },
      {
        gate: 'Rollout paused',
        arrange: () =>
          argo.seed(
            staging(NEW, {
              health: 'Suspended',
              rollout: 'Suspended',
              rolloutMessage: 'CanaryPauseStep',
            }),
          ),
        message:
          'source-healthy: staging (orders-api-staging) is Suspended, not Healthy; rollout-promoted: Rollout orders-api is paused: CanaryPauseStep; promote it fully in staging first',
      },
      {
        gate: 'CI failed',
        arrange: () =>
          service.checkRuns.set(NEW, [
            { name: 'Test', status: 'completed', conclusion: 'failure' },
            { name: 'Chart', status: 'completed', conclusion: 'success' },
          ]),
        message:
          'ci-succeeded: CI did not succeed on bbbbbbbbbbbb: Test (failure)',
      },
      {
        gate: 'CI running',
        arrange: () =>
          service.checkRuns.set(NEW, [
            { name: 'Test', status: 'in_progress', conclusion: null },
          ]),
        message:
          'ci-succeeded: CI is still running on bbbbbbbbbbbb: Test (in_progress)',
      },
      {
        gate: 'no CI run',
        arrange: () => service.checkRuns.delete(NEW),
        message:
          "ci-succeeded: commit bbbbbbbbbbbb has no CI check run: CI has not run on it (or it is not on the repository's default branch)",
      },
      {
        gate: 'no verification',
        arrange: () => service.statuses.delete(NEW),
        message:
          "verification-passed: commit bbbbbbbbbbbb has no 'runway/staging-verification' status: the staging verification has not run for it",
      },
      {
        gate: 'verification failed (the latest status counts)',
        arrange: () =>
          service.statuses.set(NEW, [
            VERIFIED,
            {
              context: 'runway/staging-verification',
              state: 'failure',
              description: 'smoke test: GET /healthz answered 503',
              target_url:
                'https://github.com/example-org/orders-api/actions/runs/7',
            },
          ]),
        message:
          'verification-passed: the staging verification of bbbbbbbbbbbb reported failure (smoke test: GET /healthz answered 503): https://github.com/example-org/orders-api/actions/runs/7',
      },
    ];

    it.each(gateCases)(
      'refuses when a gate fails ($gate), naming it, with zero writes',
      async ({ arrange, message }) => {
        arrange();
        const before = argo.writes.length;
        const error = await promote().catch(e => e);
        expect(error).toBeInstanceOf(ConflictError);
        expect(error.message).toMatch(
          /^Cannot promote bbbbbbbbbbbb to orders-api-production; nothing was changed\. \d gates? failed: /,
        );
        expect(error.message.replace(/^.* failed: /, '')).toBe(message);
        expect(argo.writes).toHaveLength(before);
        expect(production()).toBe(OLD);
      },
    );

    it('refuses to move production back to an older commit', async () => {
      const app = argo.applications.get('orders-api-production')!;
      app.spec.source.targetRevision = NEW;
      argo.seed(app, staging(OLD));
      service.checkRuns.set(OLD, service.checkRuns.get(NEW)!);
      service.statuses.set(OLD, [VERIFIED]);
      const error = await promote(OLD).catch(e => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toContain(
        'not-older: aaaaaaaaaaaa is older than the pinned bbbbbbbbbbbb: promotion only moves forward; roll back by reverting on main',
      );
      expect(argo.writes).toEqual([]);
    });

    it('refuses a production Application that deploys another repository', async () => {
      const app = argo.applications.get('orders-api-production')!;
      app.spec.source.repoURL = 'https://github.com/example-org/other.git';
      argo.seed(app);
      const error = await promote().catch(e => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toBe(
        "Application 'orders-api-production' does not deploy what 'orders-api-staging' deploys (differs in spec.source.repoURL); a commit of one cannot be promoted to the other. Nothing was changed",
      );
      expect(argo.writes).toEqual([]);
      expect(service.requests).toEqual([]);
    });

    it('says what to do when production is not registered', async () => {
      argo.applications.delete('orders-api-production');
      const error = await promote().catch(e => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toBe(
        "Application 'orders-api-production' (project 'default') does not exist on Argo CD instance 'main': create it with argocd:app:create before promoting to it",
      );
    });

    it('checks its input before any call', async () => {
      const error = await Promise.resolve()
        .then(() =>
          resolvePromotionInput({
            appName: 'orders-api',
            commit: 'main',
            from: 'production',
          }),
        )
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(
        'commit: "main" must be a full commit SHA: 40 (or 64) lowercase hexadecimal characters, not a branch, tag or short SHA',
      );
      expect(error.message).toContain(
        "to: must differ from 'from' ('production'): an environment cannot be promoted from itself",
      );
    });
  });

  describe('gitops mode', () => {
    let gitops: FakeGitHub;
    const writer = new GitOpsWriter({
      octokit: createOctokit({ token: 'gitops-token' }),
      repository: gitopsConfig.repository,
      baseBranch: 'main',
    });
    const PATH = 'apps/production/orders-api.yaml';

    beforeEach(() => {
      gitops = new FakeGitHub({
        owner: 'example-org',
        repo: 'gitops',
        token: 'gitops-token',
      });
      gitops.push('main', {
        [PATH]: manifestToYaml(
          {
            ...productionApp,
            metadata: { ...productionApp.metadata, namespace: 'argocd' },
          },
          'Managed by Runway',
        ),
      });
      server.use(...gitops.handlers());
    });

    it('opens one pull request pinning the manifest, reused on a re-run, and nothing once merged', async () => {
      const first = await promote(NEW, writer);
      expect(first).toMatchObject({
        status: 'pull-request',
        previousRevision: OLD,
        pullRequest: {
          status: 'created',
          branch: 'runway/promote-orders-api-production',
          number: 1,
        },
      });
      const committed = parse(
        gitops.files('runway/promote-orders-api-production')[PATH],
      );
      expect(committed.spec.source.targetRevision).toBe(NEW);
      expect(committed.metadata.namespace).toBe('argocd');
      expect(gitops.pulls[0].title).toBe(
        'Promote orders-api to production: bbbbbbbbbbbb',
      );
      expect(gitops.pulls[0].body).toContain(
        '- ✅ verification-passed: the staging verification passed on bbbbbbbbbbbb (smoke test passed)',
      );
      expect(argo.writes).toEqual([]);

      const writes = gitops.writes.length;
      await expect(promote(NEW, writer)).resolves.toMatchObject({
        pullRequest: { status: 'unchanged', number: 1 },
      });
      expect(gitops.writes).toHaveLength(writes);

      gitops.merge(1);
      await expect(promote(NEW, writer)).resolves.toMatchObject({
        status: 'unchanged',
      });
      expect(gitops.writes).toHaveLength(writes);
    });

    it('refuses with the failing gate and writes nothing', async () => {
      service.statuses.delete(NEW);
      await expect(promote(NEW, writer)).rejects.toThrow(ConflictError);
      expect(gitops.writes).toEqual([]);
      expect(gitops.pulls).toEqual([]);
    });

    it('says what to do when the GitOps repository has no manifest for production', async () => {
      gitops.push('main', { [PATH]: 'not: an application\n' });
      const error = await promote(NEW, writer).catch(e => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toBe(
        "example-org/gitops@main has no Application manifest at 'apps/production/orders-api.yaml' (the file is not an Application): register 'orders-api-production' with argocd:app:create (mode gitops) and merge its pull request before promoting to it",
      );
    });
  });
});
