import Typography from '@material-ui/core/Typography';
import { CodeSnippet, EmptyState } from '@backstage/core-components';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '../../annotations';

const EXAMPLE = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-api
  annotations:
    # either the workload's backstage.io/kubernetes-id label value
    ${KUBERNETES_ID_ANNOTATION}: orders-api
    # or a label selector matching its pods
    # ${KUBERNETES_LABEL_SELECTOR_ANNOTATION}: 'app=orders-api'
    # optional: only look in this namespace
    ${KUBERNETES_NAMESPACE_ANNOTATION}: orders
spec:
  type: service
  lifecycle: production
  owner: team-orders`;

/** Shown when the entity cannot be matched to workloads in the clusters. */
export function MissingAnnotationState() {
  return (
    <EmptyState
      missing="field"
      title="This entity has no Kubernetes annotation"
      description={
        <>
          <Typography variant="body1" component="span" display="block">
            The Canary tab finds an entity's Istio VirtualServices through its
            workloads. Add the <code>{KUBERNETES_ID_ANNOTATION}</code>{' '}
            annotation (the value of the workload's{' '}
            <code>{KUBERNETES_ID_ANNOTATION}</code> label) or the{' '}
            <code>{KUBERNETES_LABEL_SELECTOR_ANNOTATION}</code> annotation (a
            label selector such as <code>app=orders-api</code>) to the entity's{' '}
            <code>catalog-info.yaml</code>. Optionally, add{' '}
            <code>{KUBERNETES_NAMESPACE_ANNOTATION}</code> to look in one
            namespace only.
          </Typography>
        </>
      }
      action={
        <CodeSnippet
          text={EXAMPLE}
          language="yaml"
          showLineNumbers
          showCopyCodeButton
        />
      }
    />
  );
}
