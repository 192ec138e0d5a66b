import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { isCanaryAvailable } from '../../annotations';
import { CanaryStatusView } from './CanaryStatusView';
import { MissingAnnotationState } from './MissingAnnotationState';

/**
 * The Canary tab of an entity page: the live Istio canary status of the
 * entity in every cluster, refreshed every 10 seconds while the page is
 * visible.
 *
 * @public
 */
export function EntityCanaryContent() {
  const { entity } = useEntity();
  if (!isCanaryAvailable(entity)) {
    return <MissingAnnotationState />;
  }
  return <CanaryStatusView entityRef={getCompoundEntityRef(entity)} />;
}
