import { ConfigReader } from '@backstage/config';
import { readClusterDetails } from './clusters';

const kubernetes = (clusters: object[], extra: object[] = []) =>
  new ConfigReader({
    kubernetes: {
      serviceLocatorMethods: { type: 'multiTenant' },
      clusterLocatorMethods: [...extra, { type: 'config', clusters }],
    },
  });

describe('readClusterDetails', () => {
  it.each([
    ['no kubernetes config', new ConfigReader({}), []],
    ['no clusters', kubernetes([]), []],
    [
      'a service-account cluster',
      kubernetes([
        {
          name: 'staging',
          url: 'https://staging.example:6443',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'sa-token',
          caData: 'Q0E=',
        },
      ]),
      [
        {
          name: 'staging',
          title: undefined,
          url: 'https://staging.example:6443',
          authMetadata: {
            'kubernetes.io/auth-provider': 'serviceAccount',
            serviceAccountToken: 'sa-token',
          },
          skipTLSVerify: false,
          caData: 'Q0E=',
          caFile: undefined,
        },
      ],
    ],
    [
      'an EKS cluster with an assumed role, other locator types ignored',
      kubernetes(
        [
          {
            name: 'production',
            title: 'Production',
            url: 'https://eks.example',
            authProvider: 'aws',
            skipTLSVerify: true,
            authMetadata: {
              'kubernetes.io/aws-assume-role': 'arn:aws:iam::1:role/backstage',
            },
          },
        ],
        [{ type: 'catalog' }],
      ),
      [
        {
          name: 'production',
          title: 'Production',
          url: 'https://eks.example',
          authMetadata: {
            'kubernetes.io/auth-provider': 'aws',
            'kubernetes.io/aws-assume-role': 'arn:aws:iam::1:role/backstage',
          },
          skipTLSVerify: true,
          caData: undefined,
          caFile: undefined,
        },
      ],
    ],
  ])('%s', (_, config, expected) => {
    expect(readClusterDetails(config)).toEqual(expected);
  });

  it('rejects a cluster name given twice, naming it', () => {
    const cluster = {
      name: 'dup',
      url: 'https://x',
      authProvider: 'serviceAccount',
    };
    expect(() => readClusterDetails(kubernetes([cluster, cluster]))).toThrow(
      "cluster name 'dup' is configured twice",
    );
  });

  it('names the missing field', () => {
    expect(() =>
      readClusterDetails(kubernetes([{ name: 'x', authProvider: 'aws' }])),
    ).toThrow(
      "Missing required config value at 'kubernetes.clusterLocatorMethods[0].clusters[0].url'",
    );
  });
});
