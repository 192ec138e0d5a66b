import {
  ApplicationsInput,
  buildApplications as buildFromResolved,
  buildAppProject as buildProjectFromResolved,
  resolveApplicationsInput,
} from '../applications';

/** The builders take resolved input: check and default it first, as every caller does. */
export const buildApplications = (input: ApplicationsInput) =>
  buildFromResolved(resolveApplicationsInput(input));

/** {@link buildApplications} for the AppProject. */
export const buildAppProject = (input: ApplicationsInput) =>
  buildProjectFromResolved(resolveApplicationsInput(input));
