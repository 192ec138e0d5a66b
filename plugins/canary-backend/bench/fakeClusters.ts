/*
 * The benchmark's clusters, in a child process so the parent's heap is the backend's alone:
 * one FakeKubernetesApi per cluster holding the fixture. Driven by messages:
 *   { type: 'requests' }                → the requests each cluster served since the last ask
 *   { type: 'churn', perSecond, seconds } → rewrites VirtualServices at that rate, replies with
 *                                           the last weight written per service
 *   { type: 'stop' }
 */
import { FakeKubernetesApi } from '@runway/plugin-cluster-access-node-test-utils';
import { serviceObjects, virtualService } from './fixture';

const [clusters, services] = process.argv.slice(2).map(Number);

async function main() {
  const apis: FakeKubernetesApi[] = [];
  const objects: number[] = [];
  for (let c = 0; c < clusters; c++) {
    const api = new FakeKubernetesApi({
      token: 'bench',
      bookmarkIntervalMs: 60_000,
    });
    await api.start();
    // The CRDs are installed, whether or not they have objects here.
    api
      .serve('argoproj.io/v1alpha1', 'analysisruns')
      .serve('postgresql.cnpg.io/v1', 'databases');
    for (let i = 0; i < services; i++) api.apply(...serviceObjects(i));
    objects.push(api.size);
    apis.push(api);
  }
  process.send!({ type: 'ready', urls: apis.map(a => a.url), objects });

  process.on('message', async (message: any) => {
    if (message.type === 'requests') {
      process.send!({
        type: 'requests',
        clusters: apis.map(api => {
          const requests = api.takeRequests();
          const lists = requests.filter(r => !r.query.includes('watch='));
          const pages: Record<string, number> = {};
          for (const r of lists) pages[r.path] = (pages[r.path] ?? 0) + 1;
          return {
            lists: lists.length,
            watches: requests.length - lists.length,
            pages,
            openWatches: api.openWatches,
          };
        }),
      });
    } else if (message.type === 'churn') {
      const { perSecond, seconds } = message;
      const last = new Map<string, number>();
      let generation = 1;
      const total = Math.round(perSecond * seconds);
      const started = Date.now();
      for (let n = 0; n < total; n++) {
        const due = started + (n / perSecond) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise(r => setTimeout(r, wait));
        const c = Math.floor(Math.random() * clusters);
        const i = Math.floor(Math.random() * services);
        const weight = 1 + Math.floor(Math.random() * 99);
        apis[c].apply(virtualService(i, weight, generation++));
        last.set(`${c}/${i}`, weight);
      }
      process.send!({ type: 'churned', events: total, last: [...last] });
    } else if (message.type === 'stop') {
      await Promise.all(apis.map(a => a.stop()));
      process.exit(0);
    }
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
