/**
 * Resolves the workspace aliases (@onestop/<lib>) of a `tsc`-compiled build: the output keeps the repo
 * layout (rootDir "."), so `@onestop/x` is `<outDir>/libs/x/src/index.js`. Imported first by the entry
 * points (main, CLI); a no-op under Jest/ts tooling, where the aliases are resolved by their own mappers.
 */
import { existsSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

const outRoot = path.resolve(__dirname, '../../..');
type Resolve = (request: string, ...rest: unknown[]) => string;
const mod = Module as unknown as { _resolveFilename: Resolve };
const original = mod._resolveFilename;
if (existsSync(path.join(outRoot, 'libs'))) {
  mod._resolveFilename = function (request: string, ...rest: unknown[]): string {
    const m = /^@onestop\/([a-z-]+)$/.exec(request);
    if (m) {
      const file = path.join(outRoot, 'libs', m[1] as string, 'src', 'index.js');
      if (existsSync(file)) return file;
    }
    return original.call(this, request, ...rest);
  };
}
