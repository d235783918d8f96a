/**
 * Issue 17, the SSH variant: the same topology as distributed-netns.test.ts (nginx and the
 * coordinator in one network namespace, two loader namespaces behind veth links), with an sshd of
 * the test's own in each loader namespace (generated host and user keys, key auth only, listening
 * only on that namespace's 10.231.x address) and load.hosts = [ssh, -T, …, root@<loader address>].
 * The loader protocol then crosses ssh and the veth links.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/load/histogram.js';
import type { LoadResult, RunManifest } from '../../src/runs/types.js';
import { cliArgs, spawnCli } from '../helpers/cli.js';
import { createNetns, type Netns } from './netns.js';
import { netnsHelloScenario } from './netns-scenario.js';

const SSHD = '/usr/sbin/sshd';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-dist-ssh-'));
let ns: Netns;
const sshds: ChildProcess[] = [];
const key = path.join(tmp, 'id_ed25519');

beforeAll(async () => {
  // Not skipped when missing: scripts/bootstrap.sh installs openssh-server for this test.
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: run scripts/bootstrap.sh (it installs openssh-server)`);
  ns = createNetns(2);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(tmp, 'host_ed25519')]);
  writeFileSync(path.join(tmp, 'authorized_keys'), readFileSync(`${key}.pub`));
  // sshd's privilege separation directory (Debian's service creates it; ours is not the service).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  ns.loaders.forEach((l, i) => {
    const cfg = path.join(tmp, `sshd-${i}.conf`);
    writeFileSync(
      cfg,
      [
        `ListenAddress ${ns.loaderAddresses[i]}`,
        'Port 22',
        `HostKey ${path.join(tmp, 'host_ed25519')}`,
        `AuthorizedKeysFile ${path.join(tmp, 'authorized_keys')}`,
        `PidFile ${path.join(tmp, `sshd-${i}.pid`)}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        '',
      ].join('\n'),
    );
    sshds.push(spawn('ip', ['netns', 'exec', l, SSHD, '-D', '-e', '-f', cfg], { stdio: 'ignore' }));
  });
  // Listening once a TCP connect from the server namespace succeeds.
  for (const a of ns.loaderAddresses) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        execFileSync('ip', ['netns', 'exec', ns.server, process.execPath, '-e', `require('net').connect(22,'${a}').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`]);
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`sshd on ${a} did not listen`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
});
afterAll(() => {
  for (const s of sshds) s.kill('SIGKILL');
  ns?.remove();
  rmSync(tmp, { recursive: true, force: true });
});

/** Processes in a loader namespace other than its sshd listener. */
function strays(i: number): number[] {
  const sshd = sshds[i]?.pid; // ip netns exec execs sshd: the same pid
  return execFileSync('ip', ['netns', 'pids', ns.loaders[i]!], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((p) => p !== sshd);
}

describe('two loaders over ssh into two network namespaces', () => {
  it('runs, splits and merges as with ip netns exec; nothing but the sshd listeners is left', async () => {
    const ssh = (addr: string): string[] => ['ssh', '-T', '-i', key, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `root@${addr}`];
    const file = path.join(tmp, 'ssh.yaml');
    writeFileSync(
      file,
      netnsHelloScenario('ssh', ns.serverAddress, {
        connections: 16,
        pipelining: 4,
        duration: '3s',
        warmup: '500ms',
        more: `  hosts:\n${ns.loaderAddresses.map((a) => `    - ${JSON.stringify(ssh(a))}\n`).join('')}`,
      }),
    );
    const out = path.join(tmp, 'run');
    const [node, argv] = cliArgs(['run', file, '--out', out, '--quiet', '--no-report']);
    const r = await spawnCli([], { prefix: ['ip', 'netns', 'exec', ns.server, node, ...argv] }).done;
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')) as RunManifest;
    const load = JSON.parse(readFileSync(path.join(out, 'load.json'), 'utf8')) as LoadResult;
    const shares = m.loaders!.loaders;
    expect(shares.map((s) => s.host)).toEqual(ns.loaderAddresses.map((a) => ssh(a).join(' ')));
    expect(shares.map((s) => s.connections)).toEqual([8, 8]);
    for (const s of shares) expect(s.requests).toBeGreaterThan(1000);
    expect(shares.reduce((a, s) => a + s.requests, 0)).toBe(load.requests);
    expect(decodeHistogram(load.histogram).totalCount).toBe(load.requests);
    // The remote loaders exit when their ssh channel closes; give sshd a moment to reap the sessions.
    const deadline = Date.now() + 5000;
    while ((strays(0).length > 0 || strays(1).length > 0) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    expect([strays(0), strays(1)]).toEqual([[], []]);
  }, 60_000);
});
