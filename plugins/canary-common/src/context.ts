/*
 * What the parts of the computation share while they look at one VirtualService.
 */
import type { CanaryObjects, Labels, ReplicaSet, Rollout } from './objects';
import type { Ref } from './util';

export type Role = 'stable' | 'canary';

/** A Deployment, Rollout or ReplicaSet reduced to what a track reports. */
export type Workload = {
  kind: 'Deployment' | 'Rollout' | 'ReplicaSet';
  namespace: string;
  name: string;
  labels: Labels;
  images: string[];
  ready: number;
  desired: number;
};

/** The Rollout whose Istio traffic routing names the VirtualService. */
export type Governor = {
  rollout: Rollout;
  workload: Workload;
  /**
   * The ReplicaSets of its stable and canary revisions, when ReplicaSets are an input
   * and the Rollout's status names its revisions (`canary` absent while the stable
   * revision is the current one).
   */
  replicaSets?: { stable?: ReplicaSet; canary?: ReplicaSet };
};

export type Context = {
  vs: Ref;
  objects: CanaryObjects;
  /** Every Deployment and Rollout of the input. */
  workloads: Workload[];
  governor?: Governor;
};
