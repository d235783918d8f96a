/**
 * `flamebench k8s loaders` manifests, validated against the Kubernetes API's own JSON schemas as
 * shipped by the npm package kubernetes-models (generated from the Kubernetes OpenAPI spec; its
 * validate() runs them with ajv). No cluster runs here: this checks the objects are exactly what
 * the API server's schema accepts, plus the properties the issue asks for.
 */
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { loaderHosts, loaderManifests, LOADER_MANIFEST_DEFAULTS } from '../../src/k8s/loader-manifests.js';
import { runCli } from '../helpers/cli.js';

const opts = { ...LOADER_MANIFEST_DEFAULTS, count: 3, image: 'registry.example/flamebench:1.0' };

describe('k8s loader manifests', () => {
  it('are a StatefulSet the Kubernetes schema accepts: N replicas, anti-affinity, resources, no service account token', () => {
    const [m] = loaderManifests(opts);
    expect(m?.kind).toBe('StatefulSet');
    expect(() => new StatefulSet(m as never).validate()).not.toThrow();
    const s = new StatefulSet(m as never);
    expect(s.spec?.replicas).toBe(3);
    const pod = s.spec?.template.spec;
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(pod?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.topologyKey).toBe('kubernetes.io/hostname');
    expect(pod?.containers[0]?.image).toBe('registry.example/flamebench:1.0');
    expect(pod?.containers[0]?.resources?.limits).toEqual({ cpu: '2', memory: '1Gi' });
    expect(pod?.containers[0]?.securityContext?.allowPrivilegeEscalation).toBe(false);
  });

  it('the schema check is real: a malformed field is refused', () => {
    const [m] = loaderManifests(opts);
    const bad = structuredClone(m) as unknown as { spec: { replicas: unknown } };
    bad.spec.replicas = 'three';
    expect(() => new StatefulSet(bad as never).validate()).toThrow(/replicas/);
  });

  it('load.hosts name the StatefulSet pods for kubectl exec -i', () => {
    expect(loaderHosts(opts)).toEqual([0, 1, 2].map((i) => ['kubectl', 'exec', '-i', '-n', 'default', `pod/flamebench-loader-${i}`, '--']));
  });

  it('the CLI prints YAML that parses to the same objects, with the hosts as a comment; bad --count is exit 2', async () => {
    const r = await runCli(['k8s', 'loaders', '--count', '2', '--image', 'x/fb:1']);
    expect(r.code, r.stderr).toBe(0);
    const docs = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS() as unknown).filter((d) => d !== null);
    expect(docs).toEqual(loaderManifests({ ...LOADER_MANIFEST_DEFAULTS, count: 2, image: 'x/fb:1' }));
    expect(r.stdout).not.toMatch(/[&*]a\d/); // no YAML anchors or aliases
    expect(r.stdout).toMatch(/# {7}- \["kubectl","exec","-i","-n","default","pod\/flamebench-loader-1","--"\]/);
    const bad = await runCli(['k8s', 'loaders', '--count', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--count/);
  });
});
