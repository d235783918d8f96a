// Preloaded with `node --import`: prints on stderr every package module (node_modules) that the
// process resolves, so a test can see what a command loads. The hook runs in Node's loader thread.
import { register } from 'node:module';

register('./module-log-hooks.mjs', import.meta.url);
