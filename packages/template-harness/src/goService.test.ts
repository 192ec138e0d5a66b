import { checkGoModule } from './checks/go';
import { describeServiceTemplate } from './__testUtils__/sharedChecks';
import { serviceParameters } from './__testUtils__/values';

jest.setTimeout(20 * 60_000);

describeServiceTemplate({
  template: 'go-service',
  part: 'go',
  language: 'go',
  parameters: serviceParameters,
  languageCheck: {
    title:
      'is tidy, vets, builds and passes its tests (integration test on PostgreSQL)',
    run: checkGoModule,
  },
});
