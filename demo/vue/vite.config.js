// Vue's ESM build expects its compile-time feature flags from the bundler (the Vue plugin would
// define them; this example has no plugin). The example uses setup() only, so the Options API can go.
export default {
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
};
