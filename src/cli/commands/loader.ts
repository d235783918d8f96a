import type { Command } from 'commander';
import { stdioEndpoint } from '../../load/loader-endpoint.js';
import { serveLoader } from '../../load/loader-session.js';

export function register(program: Command): void {
  program
    .command('loader')
    .description(
      'Run a loader on stdin/stdout for a coordinating `flamebench run` on another host (load.hosts: ssh, kubectl exec, ip netns exec). Speaks the loader protocol as JSON lines; logs go to stderr. Exits when stdin closes.',
    )
    .addHelpText('after', '\nNot for interactive use. Example: load.hosts: [["ssh", "-T", "loader@10.0.0.2"]] with load.loaderCommand: ["flamebench", "loader"]')
    .action(() => {
      // Runs until the coordinator says exit or its channel closes (the session calls process.exit).
      serveLoader(stdioEndpoint());
    });
}
