/**
 * `npm run size`: builds the browser parts and checks what a visitor downloads
 * against the budgets (gzip level 9, as served). Fails when over budget; says
 * so when over goal. Run inside `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

interface Budget {
  name: string;
  /** `vite build --mode <mode>` */
  mode: string;
  /** Folder the build writes; every file in it is downloaded by a visitor. */
  outDir: string;
  budgetBytes: number;
  goalBytes: number;
  maxFiles: number;
}

const BUDGETS: Budget[] = [
  { name: 'tracker /t.js', mode: 'tracker', outDir: 'dist/tracker', budgetBytes: 1536, goalBytes: 1229, maxFiles: 1 },
  { name: 'widget (HTML + JS + CSS)', mode: 'widget', outDir: 'dist/widget', budgetBytes: 15 * 1024, goalBytes: 12 * 1024, maxFiles: 3 },
];

function filesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesIn(path) : [path];
  });
}

let failed = false;
for (const budget of BUDGETS) {
  execFileSync('npx', ['vite', 'build', '--mode', budget.mode, '--logLevel', 'warn'], { stdio: 'inherit' });
  const files = filesIn(budget.outDir).filter((f) => !f.endsWith('.map') && !f.endsWith('.json'));
  const sizes = files.map((file) => ({ file: relative(budget.outDir, file), gzip: gzipSync(readFileSync(file), { level: 9 }).length }));
  const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
  const verdict = total > budget.budgetBytes || files.length > budget.maxFiles ? 'OVER BUDGET' : total > budget.goalBytes ? 'within budget, over goal' : 'within goal';
  console.log(`${budget.name}: ${total} B gzipped in ${files.length} file(s) (budget ${budget.budgetBytes} B, goal ${budget.goalBytes} B, at most ${budget.maxFiles} file(s)): ${verdict}`);
  for (const s of sizes) console.log(`  ${s.file.padEnd(40)} ${s.gzip} B`);
  if (verdict === 'OVER BUDGET') failed = true;
}
process.exit(failed ? 1 : 0);
