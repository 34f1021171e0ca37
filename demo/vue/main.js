// metricgl in Vue 3, with render functions (no SFC compiler, no plugin): a MetricChart component
// owns one chart for the life of its <div>.
// Run with `npx vite demo/vue` (or build it: `npx vite build demo/vue`).
import { computed, createApp, defineComponent, h, markRaw, onBeforeUnmount, onMounted, ref, shallowRef, watch } from 'vue';
import { makeRuns } from '../example-runs.js';
import { createChart } from '../../src/index.ts';

/**
 * One chart. `series` and `options` are watched by identity (not deep: a deep watch would walk
 * every point of every series); pass new arrays/objects to change them. Emits `chart` with the
 * Chart after mount and null before unmount, for `append` (live runs) or `rendered()`.
 */
const MetricChart = defineComponent({
  name: 'MetricChart',
  props: { series: Array, options: Object },
  emits: ['chart'],
  setup(props, { emit }) {
    const div = ref(null);
    let chart = null;
    onMounted(() => {
      chart = createChart(div.value);
      if (props.options) chart.update(props.options);
      if (props.series) chart.setSeries(props.series);
      emit('chart', chart);
    });
    onBeforeUnmount(() => {
      emit('chart', null);
      chart.destroy();
      chart = null;
    });
    watch(() => props.series, (s) => s && chart?.setSeries(s));
    watch(() => props.options, (o) => o && chart?.update(o));
    return () => h('div', { ref: div });
  },
});


const App = defineComponent({
  setup() {
    // markRaw: Vue must not wrap typed arrays of a million points in reactive proxies
    const { train, evals } = makeRuns();
    const series = { train: markRaw(train), eval: markRaw(evals) };
    const weight = shallowRef(0.6);
    // time-weighted: the same window in steps for every run and point density (see README, Smoothing)
    const options = computed(() => ({ yScale: 'log', smoothing: { weight: weight.value, mode: 'time-weighted' } }));
    // the charts, by name, for the console and the browser tests (window.charts)
    const onChart = (name) => (c) => {
      window.charts ??= {};
      if (c) window.charts[name] = c;
      else delete window.charts[name];
    };
    const panel = (name, title) =>
      h('section', [
        h('h2', title),
        h(MetricChart, { id: name, class: 'chart', series: series[name], options: options.value, onChart: onChart(name) }),
      ]);
    return () => [
      h('header', [
        h('h1', 'metricgl · Vue'),
        h('label', [
          'smoothing ',
          h('input', {
            id: 'smoothing', type: 'range', min: 0, max: 0.99, step: 0.01, value: weight.value,
            onInput: (e) => (weight.value = Number(e.target.value)),
          }),
          ` ${weight.value.toFixed(2)}`,
        ]),
      ]),
      h('div', { class: 'charts' }, [panel('train', 'train loss'), panel('eval', 'eval loss')]),
    ];
  },
});

createApp(App).mount('#app');
