/*
 * A backend module the two-replica suite adds to the production bundle (never to the
 * product): the scaffolder action its test template runs and a global scheduled task.
 * It also publishes an event from every write step and receives the topic on every replica.
 * They record what they do in the schema runway_test (created by the suite), with the
 * instance that did it (env RUNWAY_TEST_INSTANCE), so the suite can count executions.
 *
 * It is transpiled to CommonJS and loaded from the unpacked bundle, so it may only import
 * the bundle's production dependencies.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const TEST_ACTION_ID = 'runway-test:step';
export const TEST_SCHEDULED_TASK_ID = 'runway-test-global';
export const TEST_SCHEDULE_SECONDS = 3;
export const TEST_SCHEMA = 'runway_test';
/** The topic each write step publishes to, and every replica subscribes to. */
export const TEST_TOPIC = 'runway-test';
/** The file the `write` step leaves in the workspace for the `read` step. */
const MARKER = 'marker.txt';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export default createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'runway-replica-test',
  register(env) {
    env.registerInit({
      deps: {
        actions: scaffolderActionsExtensionPoint,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
        events: eventsServiceRef,
      },
      async init({ actions, database, scheduler, logger, events }) {
        const instance = process.env.RUNWAY_TEST_INSTANCE ?? 'unknown';
        const db = await database.getClient();
        const table = (name: string) => db.withSchema(TEST_SCHEMA).table(name);

        // One subscription per replica, so each of them receives every event.
        await events.subscribe({
          id: `runway-test-${instance}`,
          topics: [TEST_TOPIC],
          onEvent: async ({ eventPayload }) => {
            const { from, taskId } = eventPayload as {
              from: string;
              taskId: string;
            };
            await table('events').insert({
              task_id: taskId,
              published_by: from,
              received_by: instance,
            });
          },
        });

        actions.addActions(
          createTemplateAction({
            id: TEST_ACTION_ID,
            description:
              'Test step: records each attempt, applies its effect once per task and step (an idempotent insert), and passes a workspace file from the write step to the read step',
            schema: {
              input: {
                step: z => z.enum(['write', 'wait', 'read']),
                delayMs: z => z.number().int().min(0),
              },
              output: {
                marker: z => z.string().optional(),
              },
            },
            async handler(ctx) {
              const taskId = ctx.task.id;
              const { step, delayMs } = ctx.input;
              await table('attempts').insert({
                task_id: taskId,
                step,
                instance,
              });
              ctx.logger.info(`step ${step} runs on instance ${instance}`);
              let marker: string | undefined;
              if (step === 'write') {
                await writeFile(join(ctx.workspacePath, MARKER), taskId);
                await events.publish({
                  topic: TEST_TOPIC,
                  eventPayload: { from: instance, taskId },
                });
              }
              if (step === 'read') {
                // After a recovery on another replica, the file comes back from the
                // task's workspace snapshot in the database.
                marker = await readFile(
                  join(ctx.workspacePath, MARKER),
                  'utf8',
                );
              }
              await sleep(delayMs);
              // The step's side effect, idempotent like Runway's actions: applying it
              // twice (a resumed step) leaves one row.
              await table('effects')
                .insert({ task_id: taskId, step, instance })
                .onConflict(['task_id', 'step'])
                .ignore();
              if (marker !== undefined) ctx.output('marker', marker);
            },
          }),
        );

        await scheduler.scheduleTask({
          id: TEST_SCHEDULED_TASK_ID,
          frequency: { seconds: TEST_SCHEDULE_SECONDS },
          timeout: { seconds: TEST_SCHEDULE_SECONDS * 3 },
          initialDelay: { seconds: 1 },
          fn: async () => {
            const [{ id }] = await table('scheduled_runs')
              .insert({ instance, started_at: db.fn.now() })
              .returning('id');
            await sleep(500);
            await table('scheduled_runs')
              .where({ id })
              .update({ finished_at: db.fn.now() });
          },
        });
        logger.info(`runway-replica-test module ready on instance ${instance}`);
      },
    });
  },
});
