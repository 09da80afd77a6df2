import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');
/** What the three server apps run: their sources and every lib (the console is served pre-built, or not at all). */
const SOURCES = ['apps/ingest/src', 'apps/worker/src', 'apps/portal/src', 'libs'];

/**
 * A runnable copy of the platform in `outDir`, each TypeScript file transpiled on its own exactly as ts-node's
 * transpile-only mode does (`spawnApp` runs the apps so), but once for every process instead of once per process:
 * seven app processes compiling the sources each would take most of a minute of both cores. The copy gets
 * tsconfig.json (for tsconfig-paths' `@vigia/*` aliases), other files as they are (the warninglists' data) and a
 * link to node_modules.
 */
export function transpilePlatform(outDir: string): void {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  const compilerOptions: ts.CompilerOptions = { ...config!.options, sourceMap: false, incremental: false };
  for (const source of SOURCES) {
    for (const file of filesUnder(path.join(root, source))) {
      const relative = path.relative(root, file);
      if (relative.endsWith('.spec.ts')) continue;
      const target = path.join(outDir, relative.replace(/\.ts$/, '.js'));
      mkdirSync(path.dirname(target), { recursive: true });
      if (!file.endsWith('.ts')) cpSync(file, target);
      else {
        const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
        writeFileSync(target, outputText);
      }
    }
  }
  cpSync(path.join(root, 'tsconfig.json'), path.join(outDir, 'tsconfig.json'));
  cpSync(path.join(root, 'package.json'), path.join(outDir, 'package.json'));
  symlinkSync(path.join(root, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
}

function* filesUnder(directory: string): Generator<string> {
  for (const name of readdirSync(directory)) {
    const entry = path.join(directory, name);
    if (statSync(entry).isDirectory()) yield* filesUnder(entry);
    else yield entry;
  }
}
