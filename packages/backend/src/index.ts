/*
 * The Runway backend: every plugin and module the portal uses. Nothing else lives here.
 */

import { createBackend } from '@backstage/backend-defaults';
import { databaseServiceFactory } from '@runway/backend-startup-lock';
import { localCheckoutUrlReaderFactory } from '@runway/plugin-local-checkout-node';

const backend = createBackend();

// Runway: replicas started together on one PostgreSQL run their plugins' migrations one
// replica after the other (a PostgreSQL advisory lock held while a replica starts): knex's
// own migration lock fails the other replicas' starts instead of waiting.
backend.add(databaseServiceFactory);

// Runway: serve this repository's URLs from the working tree when runway.localCheckout is
// configured (development), so URL-registered templates run offline.
backend.add(localCheckoutUrlReaderFactory);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// Task recovery's workspace store: a task resumed on another replica gets the files of its
// completed steps back (scaffolder.taskRecovery in app-config.production.yaml).
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-workspace-database'),
);
// Runway: argocd:app:create (Argo CD Applications per environment, API or GitOps PR) and
// argocd:app:promote (pins production to a commit staging verified, behind its gates)
backend.add(import('@runway/plugin-scaffolder-backend-module-argocd'));
// Runway: cnpg:database:create (CloudNativePG databases per environment)
backend.add(import('@runway/plugin-scaffolder-backend-module-cnpg'));
// Runway: runway:dockerfile:pin (pins a new repository's base images by digest;
// mirrors and credentials: runway.registries)
backend.add(import('@runway/plugin-scaffolder-backend-module-runway'));

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider
// Production sign-in (auth.providers.github in app-config.production.yaml)
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// Runway's policy: everyone signed in reads; an entity's owners and the platform teams
// (runway.permissions.platformTeams) act on its canaries. A platform team with its own policy
// replaces this module (see plugins/permission-backend-module-policy/README.md).
backend.add(import('@runway/plugin-permission-backend-module-policy'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// Runway: live Istio canary status per entity (Canary tab)
backend.add(import('@runway/plugin-canary-backend'));

// Argo CD sync status and health on entity pages (community plugin; config: argocd)
backend.add(import('@backstage-community/plugin-argocd-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// events plugin: the event bus every replica shares (in PostgreSQL, LISTEN/NOTIFY), so an
// event published on one replica (a notification's signal, a catalog event) reaches
// subscribers on all of them
backend.add(import('@backstage/plugin-events-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// A replica whose start fails (a plugin's startup error, e.g. a database migration another
// replica holds the lock of) exits instead of staying up and never ready, so Kubernetes
// restarts it; the error itself is logged by the plugin that threw it.
backend.start().catch(() => process.exit(1));
