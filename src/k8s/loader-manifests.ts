/**
 * Kubernetes manifests for N loader pods that a coordinating `flamebench run` reaches with
 * `kubectl exec -i pod/<name>-<i> -- flamebench loader`. A StatefulSet gives the pods stable
 * names (<name>-0 … <name>-N-1) for load.hosts. The pods only wait (`sleep infinity`): each run
 * starts its loaders through kubectl exec, so a pod runs no load between runs. No service account
 * token, no privileges: a loader needs nothing from the API server. Pure: options in, objects out.
 */
export interface LoaderManifestOptions {
  count: number;
  name: string;
  namespace: string;
  image: string;
  cpu: string;
  memory: string;
}

export const LOADER_MANIFEST_DEFAULTS: Omit<LoaderManifestOptions, 'count'> = {
  name: 'flamebench-loader',
  namespace: 'default',
  image: 'flamebench:latest',
  cpu: '2',
  memory: '1Gi',
};

export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string };

export function loaderManifests(o: LoaderManifestOptions): Manifest[] {
  const labels = { 'app.kubernetes.io/name': o.name, 'app.kubernetes.io/component': 'loader', 'app.kubernetes.io/part-of': 'flamebench' };
  const statefulSet: Manifest = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: o.name, namespace: o.namespace, labels },
    spec: {
      serviceName: o.name,
      replicas: o.count,
      // All pods at once: they are identical and independent.
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 5,
          // One loader per node: two loaders on one node share its CPUs and NIC, which is what N loaders are meant to avoid.
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' }],
            },
          },
          securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'loader',
              image: o.image,
              // The image's entrypoint is the CLI; the pod waits, and each run execs `flamebench loader` in it.
              command: ['sleep', 'infinity'],
              resources: { requests: { cpu: o.cpu, memory: o.memory }, limits: { cpu: o.cpu, memory: o.memory } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
  return [statefulSet];
}

/** load.hosts for these pods, as a scenario would list them. */
export function loaderHosts(o: Pick<LoaderManifestOptions, 'count' | 'name' | 'namespace'>): string[][] {
  return Array.from({ length: o.count }, (_, i) => ['kubectl', 'exec', '-i', '-n', o.namespace, `pod/${o.name}-${i}`, '--']);
}
