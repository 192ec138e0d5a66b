import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { ConfigClusterAccess } from './ClusterAccess';
import {
  FakeKubernetesApi,
  kubernetesClustersConfig,
} from '@runway/plugin-cluster-access-node-test-utils';

const logger = mockServices.logger.mock();

describe('ConfigClusterAccess', () => {
  const api = new FakeKubernetesApi({ token: 'right-token' });
  let url: string;

  beforeAll(async () => {
    url = await api.start();
    api.apply({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: {
        name: 'orders',
        namespace: 'orders',
        labels: { app: 'orders' },
      },
    });
  });
  afterAll(() => api.stop());

  const access = (token: string) =>
    ConfigClusterAccess.fromConfig(
      new ConfigReader(
        kubernetesClustersConfig([
          {
            name: 'local',
            url,
            authProvider: 'serviceAccount',
            serviceAccountToken: token,
            // client-node refuses plain http otherwise; the fake API speaks http
            skipTLSVerify: true,
          },
        ]),
      ),
      { logger },
    );

  it('lists clusters without their credentials', () => {
    expect(access('right-token').listClusters()).toEqual([
      { name: 'local', title: undefined, url },
    ]);
  });

  it('gives a KubeConfig that authenticates with the configured token', async () => {
    const kc = await access('right-token').getKubeConfig('local');
    expect(kc.getCurrentCluster()?.server).toBe(url);
    const list = await kc
      .makeApiClient(CustomObjectsApi)
      .listClusterCustomObject({
        group: 'networking.istio.io',
        version: 'v1',
        plural: 'virtualservices',
      });
    expect(list.items.map((i: any) => i.metadata.name)).toEqual(['orders']);
  });

  it('a wrong token is rejected by the API server', async () => {
    const kc = await access('wrong-token').getKubeConfig('local');
    await expect(
      kc.makeApiClient(CoreV1Api).listNamespace(),
    ).rejects.toMatchObject({ code: 401 });
  });

  it('names the known clusters when asked for an unknown one', async () => {
    const promise = access('right-token').getKubeConfig('nope');
    await expect(promise).rejects.toBeInstanceOf(NotFoundError);
    await expect(promise).rejects.toThrow("No Kubernetes cluster named 'nope'");
    await expect(promise).rejects.toThrow('known: local');
  });

  it('refuses a cluster whose auth provider needs what is missing', () => {
    expect(() =>
      ConfigClusterAccess.fromConfig(
        new ConfigReader(
          kubernetesClustersConfig([
            { name: 'x', url, authProvider: 'unknown-provider' },
          ]),
        ),
        { logger },
      ),
    ).toThrow(
      'kubernetes cluster \'x\': authProvider "unknown-provider" has no config associated with it',
    );
  });

  it('says which cluster lacks credentials: serviceAccount without a token, outside a pod', async () => {
    const promise = ConfigClusterAccess.fromConfig(
      new ConfigReader(
        kubernetesClustersConfig([
          { name: 'local', url, authProvider: 'serviceAccount' },
        ]),
      ),
      { logger },
    ).getKubeConfig('local');
    await expect(promise).rejects.toThrow(
      // The rest is the Kubernetes plugin's own error (outside Jest: ENOENT of the token file).
      "Kubernetes cluster 'local': no credentials for authProvider 'serviceAccount': ",
    );
  });
});
