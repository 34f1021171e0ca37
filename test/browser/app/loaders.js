// An app that only parses logs (no chart): import the loaders by package name and let Vite
// bundle them; the parse worker must come along.
import { createIncrementalParser, loadFiles } from 'metricgl/loaders';

const csv = 'run,step,value\na,0,1.5\na,1,1.25\nb,0,2\n';
const live = createIncrementalParser('live.csv');
live.push('step,value\n0,3\n1,'); // a live tail cut mid-line: the rest comes in the next read
live.push('4\n');
window.appLoaded = loadFiles([new File([csv], 'loss.csv')]).then((r) => ({
  series: r.series.map((s) => ({ key: s.key, run: s.run, metric: s.metric, step: Array.from(s.step), value: Array.from(s.value) })),
  errors: r.errors,
  tail: live.all().map((s) => ({ run: s.run, step: Array.from(s.step), value: Array.from(s.value) })),
}));
