import { render, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { clippingAncestors } from '../../__testUtils__/fixtures';
import { AnalysisRuns } from './AnalysisRuns';

describe('AnalysisRuns', () => {
  it('lists each run with its metrics’ last measurement against their condition', () => {
    render(
      <AnalysisRuns
        label="Analysis of orders/orders-api"
        runs={[
          {
            name: 'orders-api-7d9f-2-1',
            phase: 'Failed',
            message: 'Metric "success-rate" assessed Failed',
            metrics: [
              {
                name: 'success-rate',
                phase: 'Failed',
                successCondition: 'result[0] >= 0.99',
                lastMeasurement: { phase: 'Failed', value: '[0.93]' },
              },
              { name: 'latency-p99', phase: 'Running' },
            ],
          },
          { name: 'orders-api-7d9f-1-1', phase: 'Successful', metrics: [] },
        ]}
      />,
    );
    const items = within(
      screen.getByRole('list', { name: 'Analysis of orders/orders-api' }),
    ).getAllByRole('listitem');
    expect(items.map(i => i.textContent)).toEqual([
      'orders-api-7d9f-2-1: Failed (Metric "success-rate" assessed Failed)' +
        'success-rate Failed: last [0.93] (Failed), needs result[0] >= 0.99 · latency-p99 Running: not measured yet',
      'orders-api-7d9f-1-1: Successful',
    ]);
  });

  it('says a failure condition is what fails the metric, beside what it needs', () => {
    render(
      <AnalysisRuns
        label="Analysis"
        runs={[
          {
            name: 'run-1',
            phase: 'Running',
            metrics: [
              {
                name: 'errors',
                phase: 'Running',
                failureCondition: 'result[0] > 5',
                lastMeasurement: { phase: 'Successful', value: '[1]' },
              },
              {
                name: 'latency-p99',
                phase: 'Running',
                successCondition: 'result[0] < 0.5',
                failureCondition: 'result[0] >= 2',
              },
            ],
          },
        ]}
      />,
    );
    expect(screen.getByRole('listitem')).toHaveTextContent(
      'run-1: Running' +
        'errors Running: last [1] (Successful), fails if result[0] > 5 · ' +
        'latency-p99 Running: not measured yet, needs result[0] < 0.5, fails if result[0] >= 2',
    );
  });

  it("wraps a long metrics line in the app's theme, which cuts dense list items to one line", async () => {
    await renderInTestApp(
      <AnalysisRuns
        label="Analysis of orders/orders-api"
        runs={[
          {
            name: 'orders-api-78d65f8cb7-2',
            phase: 'Running',
            metrics: [
              {
                name: 'latency-p99',
                phase: 'Running',
                successCondition:
                  'len(result) == 0 || isNaN(result[0]) || result[0] <= 500',
                lastMeasurement: { phase: 'Successful', value: '[217.697]' },
              },
              {
                name: 'success-rate',
                phase: 'Running',
                successCondition:
                  'len(result) == 0 || isNaN(result[0]) || result[0] >= 0.99',
                lastMeasurement: { phase: 'Successful', value: '[0.996018]' },
              },
            ],
          },
        ]}
      />,
    );
    const list = screen.getByRole('list', {
      name: 'Analysis of orders/orders-api',
    });
    expect(
      clippingAncestors(within(list).getByText(/^latency-p99 Running/), list),
    ).toEqual([]);
    expect(
      clippingAncestors(
        within(list).getByText(/^orders-api-78d65f8cb7-2/),
        list,
      ),
    ).toEqual([]);
  });

  it('says when no analysis has run', () => {
    render(<AnalysisRuns label="x" runs={[]} />);
    expect(
      screen.getByText('No analysis has run for this revision.'),
    ).toBeInTheDocument();
  });
});
