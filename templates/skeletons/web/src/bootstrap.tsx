import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { App } from './App';
import { ConfigLoadError, loadRuntimeConfig } from './config';

/**
 * Loads the runtime configuration, then renders the app into container, or
 * a message when the configuration cannot be loaded.
 */
export async function start(container: HTMLElement, fetchFn: typeof fetch): Promise<Root> {
  const root = createRoot(container);
  try {
    const config = await loadRuntimeConfig(fetchFn);
    root.render(
      <StrictMode>
        <App config={config} fetchFn={fetchFn} />
      </StrictMode>,
    );
  } catch (error) {
    console.error(error);
    root.render(
      <main>
        <div role="alert" className="error">
          <h1>The app could not start</h1>
          <p>{error instanceof ConfigLoadError ? error.message : 'An unexpected error occurred.'}</p>
          <p>Reload the page to try again.</p>
        </div>
      </main>,
    );
  }
  return root;
}
