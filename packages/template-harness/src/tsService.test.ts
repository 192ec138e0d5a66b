import { checkNodeProject } from './checks/node';
import { describeServiceTemplate } from './__testUtils__/sharedChecks';
import { serviceParameters } from './__testUtils__/values';

jest.setTimeout(20 * 60_000);

describeServiceTemplate({
  template: 'ts-service',
  part: 'typescript',
  language: 'typescript',
  parameters: overrides =>
    serviceParameters({
      language: 'typescript',
      goModule: undefined,
      ...overrides,
    }),
  languageCheck: {
    title:
      'installs from its lockfile, lints, type-checks, builds and passes its tests with coverage (integration test on PostgreSQL)',
    run: checkNodeProject,
    // The application's files depend on `database` only: build and test each once.
    onlyFor: variant => variant.canary,
  },
});
