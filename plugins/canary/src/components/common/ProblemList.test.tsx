import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { clippingAncestors } from '../../__testUtils__/fixtures';
import { ProblemList } from './ProblemList';

describe('ProblemList', () => {
  it("shows each problem's severity, message and code, the message wrapped in the app's theme (not cut to one line)", async () => {
    const message =
      'AnalysisRun orders-api-78d65f8cb7-2 failed: success-rate measured [0.93], below result[0] >= 0.99; the Rollout aborts and sends all traffic back to stable';
    await renderInTestApp(
      <>
        <h5 id="problems">Problems</h5>
        <ProblemList
          labelledBy="problems"
          problems={[
            { code: 'ANALYSIS_FAILED', severity: 'error', message },
            {
              code: 'NO_CANARY_SUBSET',
              severity: 'warning',
              message: 'No canary subset',
            },
          ]}
        />
      </>,
    );
    const list = screen.getByRole('list', { name: 'Problems' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      `Error: ${message}ANALYSIS_FAILED`,
      'Warning: No canary subsetNO_CANARY_SUBSET',
    ]);
    expect(
      clippingAncestors(within(list).getByText(/^AnalysisRun /), list),
    ).toEqual([]);
  });
});
