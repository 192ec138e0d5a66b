/*
 * Renders a template (or one skeleton part) for a look at its output:
 *   yarn workspace @runway/template-harness render <template> <outDir> '<parameters json>'
 *   yarn workspace @runway/template-harness render skeletons/go <outDir> '<values json>'
 */

// createMockActionContext builds its spies with jest.fn; outside Jest a minimal stand-in does.
(globalThis as any).jest ??= {
  fn: (initial?: (...args: unknown[]) => unknown) => {
    let impl = initial;
    const spy: any = (...args: unknown[]) => impl?.(...args);
    const set = (f: typeof impl) => {
      impl = f;
      return spy;
    };
    spy.mockImplementation = set;
    spy.mockReturnValue = (v: unknown) => set(() => v);
    spy.mockResolvedValue = (v: unknown) => set(async () => v);
    return spy;
  },
};

// eslint-disable-next-line import/first
import { renderSkeleton, renderTemplate } from './render';

async function main() {
  const [what, outDir, json = '{}'] = process.argv.slice(2);
  if (!what || !outDir) {
    console.error('usage: render <template | skeletons/part> <outDir> [json]');
    process.exit(2);
  }
  const data = JSON.parse(json);
  if (what.startsWith('skeletons/')) {
    await renderSkeleton({ skeleton: what, values: data, outDir });
  } else {
    await renderTemplate({ template: what, parameters: data, outDir });
  }
  console.log(`rendered ${what} into ${outDir}`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
