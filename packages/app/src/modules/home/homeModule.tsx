import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Welcome to Runway

Runway is the platform team's portal for shipping Go and TypeScript services to
EKS with Istio canaries, CloudNativePG databases and Argo CD.

- **Find a service**: the [Software Catalog](/catalog) lists every component,
  its owner, its APIs and its deployments.
- **Create a service**: a [Software Template](/create) gives you a repository
  that already builds, passes CI and deploys.
- **Watch a rollout**: a service's Kubernetes and Canary tabs show what runs
  in each cluster.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'What Runway is for and where to start',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
