/**
 * The browser scripts of the survey channels, the widget (`/widget.js`) and the hosted page's
 * script, each one small IIFE. From the TypeScript sources with rolldown (vite's bundler) when
 * both are at hand (a clone with its dev dependencies: `npm start`, `npm test`), else the files
 * the build wrote to `dist/widget/`. Made once per process and kept in memory.
 *
 * Run as a program (`node dist/src/modules/feedback/widget/bundle.js`) it writes those files.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppError } from '../../../platform/errors.js';

export type ClientScript = 'widget' | 'page';

const SOURCES: Record<ClientScript, string> = {
  widget: 'src/modules/feedback/widget/widget.ts',
  page: 'src/modules/feedback/public/page/client.ts',
};
const builtPath = (root: string, name: ClientScript) => join(root, 'dist', 'widget', `${name}.js`);

/** The package root: the nearest folder above this file holding package.json (from src/ and dist/ alike). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

interface Rolldown {
  rolldown(options: object): Promise<{ generate(options: object): Promise<{ output: { code?: string }[] }>; close(): Promise<void> }>;
}

async function loadRolldown(): Promise<Rolldown | undefined> {
  const name = 'rolldown'; // not a dependency of the server: present with the dev dependencies
  try {
    const mod = (await import(name)) as Partial<Rolldown>;
    return typeof mod.rolldown === 'function' ? (mod as Rolldown) : undefined;
  } catch {
    return undefined;
  }
}

/** Bundle one script from its TypeScript source; undefined when there is no source or no bundler. */
export async function bundleFromSource(name: ClientScript, root = packageRoot()): Promise<string | undefined> {
  const input = join(root, SOURCES[name]);
  if (!existsSync(input)) return undefined;
  const bundler = await loadRolldown();
  if (!bundler) return undefined;
  const bundle = await bundler.rolldown({ input, platform: 'browser', resolve: { extensionAlias: { '.js': ['.ts', '.js'] } }, logLevel: 'silent' });
  try {
    const { output } = await bundle.generate({ format: 'iife', minify: true });
    return output[0]?.code;
  } finally {
    await bundle.close();
  }
}

const cache = new Map<ClientScript, Promise<string>>();

async function make(name: ClientScript): Promise<string> {
  const root = packageRoot();
  const fresh = await bundleFromSource(name, root);
  if (fresh !== undefined) return fresh;
  const built = builtPath(root, name);
  if (existsSync(built)) return readFileSync(built, 'utf8');
  throw new AppError('NOT_READY', 'the survey scripts are not built: run `npm run build`');
}

/** The script, made on first use. */
export function clientScript(name: ClientScript): Promise<string> {
  let script = cache.get(name);
  if (!script) {
    script = make(name);
    script.catch(() => cache.delete(name));
    cache.set(name, script);
  }
  return script;
}

/** Write every script to `dist/widget/` (the build step); fails without the sources and rolldown. */
export async function writeClientScripts(root = packageRoot()): Promise<string[]> {
  const written: string[] = [];
  for (const name of Object.keys(SOURCES) as ClientScript[]) {
    const code = await bundleFromSource(name, root);
    if (code === undefined) throw new Error(`cannot bundle ${SOURCES[name]}: the source or rolldown is missing`);
    const path = builtPath(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, code);
    written.push(path);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeClientScripts().then(
    (paths) => console.log(paths.map((p) => `wrote ${p}`).join('\n')),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
