/**
 * The local loader child process (forked by spawn-loader.ts, pinned with taskset). Running the load
 * in its own process makes its CPU measurable on its own (/proc/<pid>/stat counts all its threads),
 * lets it sit on CPUs apart from nginx, and lets the parent kill it on Ctrl-C. Its channel is IPC.
 */
import { ipcEndpoint } from './loader-endpoint.js';
import { serveLoader } from './loader-session.js';

serveLoader(ipcEndpoint());
