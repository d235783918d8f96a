/**
 * The loader side of the channel to its coordinator: IPC when forked (the local loader), or
 * newline-delimited JSON on stdin/stdout (`flamebench loader`, started through ssh, kubectl exec,
 * ip netns exec). The session (loader-session.ts) does not know which.
 */
import { encodeFrame, frameReader } from './frame.js';
import type { ChildMessage, ParentMessage } from './protocol.js';

export interface LoaderEndpoint {
  send(m: ChildMessage): void;
  onMessage(fn: (m: ParentMessage) => void): void;
  /** The coordinator is gone (IPC disconnect, stdin closed): the loader must not outlive it. */
  onClose(fn: () => void): void;
}

export function ipcEndpoint(): LoaderEndpoint {
  return {
    send: (m) => {
      process.send?.(m);
    },
    onMessage: (fn) => process.on('message', (m: ParentMessage) => fn(m)),
    onClose: (fn) => process.on('disconnect', fn),
  };
}

export function stdioEndpoint(): LoaderEndpoint {
  // stdout carries messages only: anything a library would print goes to stderr instead.
  const toStderr = (...args: unknown[]): void => {
    process.stderr.write(`${args.map(String).join(' ')}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const reader = frameReader();
  const handlers: Array<(m: ParentMessage) => void> = [];
  const closers: Array<() => void> = [];
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    let messages: unknown[];
    try {
      messages = reader.push(chunk);
    } catch (e) {
      process.stderr.write(`flamebench loader: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2; // invalid input on the channel
      for (const c of closers) c();
      return;
    }
    for (const m of messages) for (const h of handlers) h(m as ParentMessage);
  });
  process.stdin.on('end', () => closers.forEach((c) => c()));
  process.stdin.on('error', () => closers.forEach((c) => c()));
  // A closed stdout (the ssh channel dropped) is the coordinator gone too.
  process.stdout.on('error', () => closers.forEach((c) => c()));
  return {
    send: (m) => {
      process.stdout.write(encodeFrame(m));
    },
    onMessage: (fn) => handlers.push(fn),
    onClose: (fn) => closers.push(fn),
  };
}
