import { isCanaryAvailable } from './annotations';
import { makeEntity } from './__testUtils__/fixtures';

describe('isCanaryAvailable', () => {
  it('is true with backstage.io/kubernetes-id', () => {
    expect(
      isCanaryAvailable(makeEntity({ 'backstage.io/kubernetes-id': 'orders' })),
    ).toBe(true);
  });

  it('is true with backstage.io/kubernetes-label-selector', () => {
    expect(
      isCanaryAvailable(
        makeEntity({ 'backstage.io/kubernetes-label-selector': 'app=orders' }),
      ),
    ).toBe(true);
  });

  it('is false without either annotation, even with the namespace one', () => {
    expect(isCanaryAvailable(makeEntity())).toBe(false);
    expect(
      isCanaryAvailable(
        makeEntity({ 'backstage.io/kubernetes-namespace': 'orders' }),
      ),
    ).toBe(false);
  });

  it('is false when the annotation is blank', () => {
    expect(
      isCanaryAvailable(makeEntity({ 'backstage.io/kubernetes-id': '  ' })),
    ).toBe(false);
  });

  it('is false for an entity without annotations at all', () => {
    const entity = makeEntity();
    delete entity.metadata.annotations;
    expect(isCanaryAvailable(entity)).toBe(false);
  });
});
