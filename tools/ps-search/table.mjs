// The table of docs/results/ps-findings.md from the runs of tools/ps-search/runs.txt: for each run
// (in the file's order) its flags, the argmax network's best validation epoch with its validation
// and test accuracies, the same for one sampled network (chosen by its own validation accuracy),
// both test accuracies at the last epoch, and seconds per epoch. Copies each run's metrics.jsonl
// to docs/results/ps-search/<name>.jsonl, so every number of the table is backed by a committed file.
// Usage: node tools/ps-search/table.mjs > table.md   (run from anywhere)
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const list = readFileSync(join(root, 'tools/ps-search/runs.txt'), 'utf8');
const out = join(root, 'docs/results/ps-search');
mkdirSync(out, { recursive: true });

const pct = (v) => (v == null ? '-' : `${(v * 100).toFixed(2)}%`);
const best = (history, key) => history.reduce((b, m) => (m[key] != null && (b === null || m[key] > b[key]) ? m : b), null);

const rows = [];
for (const line of list.split('\n')) {
  const [name, ...flags] = line.trim().split(/\s+/);
  if (!name || name.startsWith('#')) continue;
  const dir = join(root, 'runs/ps-search', name);
  const metrics = join(dir, 'metrics.jsonl');
  if (!existsSync(metrics)) {
    const state = existsSync(join(dir, 'failed')) ? 'failed' : existsSync(join(dir, 'config.json')) ? 'running (no epoch yet)' : 'not run yet';
    rows.push(`| ${name} | \`${flags.join(' ')}\` | ${state} | | | | | |`);
    continue;
  }
  const history = readFileSync(metrics, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  const finished = existsSync(join(dir, 'summary.json'));
  copyFileSync(metrics, join(out, `${name}.jsonl`));
  const a = best(history, 'valAccuracy');
  const s = best(history, 'valAccuracySampled');
  const last = history.at(-1);
  const seconds = history.reduce((t, m) => t + m.seconds, 0) / history.length;
  rows.push(
    `| ${name} | \`${flags.join(' ')}\` | ${history.length}/${config.epochs}${finished ? '' : ' (running)'} ` +
      `| ${a.epoch}: ${pct(a.valAccuracy)} / **${pct(a.testAccuracy)}** ` +
      `| ${s ? `${s.epoch}: ${pct(s.valAccuracySampled)} / ${pct(s.testAccuracySampled)}` : 'not recorded'} ` +
      `| ${pct(last.testAccuracy)} / ${pct(last.testAccuracySampled)} | ${pct(last.trainAccuracy)} | ${seconds.toFixed(1)} |`,
  );
}
process.stdout.write(
  '| run | flags (beside `train --backend tensorflow --out runs/ps-search/<run>`) | epochs | argmax network: best val. epoch: val. / **test** | sampled network: best val. epoch: val. / test | last epoch test: argmax / sampled | last epoch train (sampled nets) | s/epoch |\n' +
    '|---|---|---|---|---|---|---|---|\n' +
    `${rows.join('\n')}\n`,
);
