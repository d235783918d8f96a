import type { Command } from 'commander';
import YAML from 'yaml';
import { invalidInput } from '../../errors.js';
import { LOADER_MANIFEST_DEFAULTS, loaderHosts, loaderManifests } from '../../k8s/loader-manifests.js';
import { action } from '../action.js';

interface K8sLoadersFlags {
  count: string;
  name: string;
  namespace: string;
  image: string;
  cpu: string;
  memory: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/;

export function register(program: Command): void {
  const k8s = program.command('k8s').description('Kubernetes manifests for remote loaders (printed; flamebench applies nothing).');
  k8s
    .command('loaders')
    .description('Print a StatefulSet of N loader pods (one per node, no service account token) and the load.hosts that reach them with kubectl exec.')
    .requiredOption('--count <n>', 'number of loader pods')
    .option('--name <name>', 'StatefulSet name; pods are <name>-0 … <name>-N-1', LOADER_MANIFEST_DEFAULTS.name)
    .option('--namespace <ns>', 'namespace', LOADER_MANIFEST_DEFAULTS.namespace)
    .option('--image <ref>', 'image built from docker/Dockerfile', LOADER_MANIFEST_DEFAULTS.image)
    .option('--cpu <q>', 'CPU request and limit per loader', LOADER_MANIFEST_DEFAULTS.cpu)
    .option('--memory <q>', 'memory request and limit per loader', LOADER_MANIFEST_DEFAULTS.memory)
    .addHelpText('after', '\nExample: flamebench k8s loaders --count 3 --image registry.example/flamebench:1.0 | kubectl apply -f -\nSee docs/distributed.md.')
    .action(
      action(async (flags: K8sLoadersFlags) => {
        const count = /^\s*\d+\s*$/.test(flags.count) ? Number(flags.count) : Number.NaN;
        if (!Number.isSafeInteger(count) || count < 1 || count > 1000) {
          throw invalidInput('E_BAD_FLAG', `--count must be a whole number from 1 to 1000, got "${flags.count}"`, 'e.g. --count 3');
        }
        for (const [key, v] of [['name', flags.name], ['namespace', flags.namespace]] as const) {
          if (!DNS_LABEL.test(v)) throw invalidInput('E_BAD_FLAG', `--${key} must be a DNS label (a-z, 0-9, -; at most 52 characters), got "${v}"`, 'e.g. flamebench-loader');
        }
        const opts = { ...flags, count };
        const hosts = loaderHosts(opts);
        const head = [
          '# flamebench loaders: kubectl apply -f this file, then in the scenario:',
          '#   load:',
          '#     loaderCommand: [flamebench, loader]',
          '#     hosts:',
          ...hosts.map((h) => `#       - ${JSON.stringify(h)}`),
        ].join('\n');
        // No anchors: the same labels object appears three times, and readers expect plain YAML.
        const docs = loaderManifests(opts).map((m) => YAML.stringify(m, { aliasDuplicateObjects: false }));
        process.stdout.write(`${head}\n---\n${docs.join('---\n')}`);
      }),
    );
}
