import { useMemo } from 'react';
import type { RuntimeConfig } from './config';
import { createItemsClient } from './items/api';
import { ItemsPage } from './items/ItemsPage';

export const APP_NAME = '${{ values.name }}';

export function App({ config, fetchFn }: { readonly config: RuntimeConfig; readonly fetchFn: typeof fetch }) {
  const client = useMemo(() => createItemsClient(config.apiBaseUrl, fetchFn), [config.apiBaseUrl, fetchFn]);
  return (
    <>
      <header className="app-header">
        <h1>{APP_NAME}</h1>
        {config.environment !== 'production' && (
          <span className="environment" title="Environment">
            {config.environment}
          </span>
        )}
      </header>
      <main>
        <ItemsPage client={client} />
      </main>
      <footer className="app-footer">Version {config.version}</footer>
    </>
  );
}
