import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Where a sibling entry module lives and how to start Node on it. From dist/ it is a .js file;
 * under vitest/tsx it is the .ts source and the new process or thread needs tsx's loader
 * (resolved to an absolute URL so the working directory does not matter).
 */
export interface EntryModule {
  url: URL;
  path: string;
  execArgv: string[];
}

export function siblingModule(fromUrl: string, name: string): EntryModule {
  const fromTs = fromUrl.endsWith('.ts');
  const url = new URL(`./${name}${fromTs ? '.ts' : '.js'}`, fromUrl);
  const execArgv = fromTs ? ['--import', tsxLoaderUrl()] : [];
  return { url, path: url.pathname, execArgv };
}

function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}
